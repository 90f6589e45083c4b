"""Realistic traffic for `make bench` (bench/run.py): many workers, each logged in with a
session of their own, each asking only for what the access policy lets them see.

The lists of clients and cases come from `tillit.clients.access.visible_cases(user)`, the
policy's own query, so the benchmark never asks for a page its users may not open (a 403
or 404 would make the run invalid, bench/mix.lua). Each worker belongs to one wrk
connection (a thread of its own in wrk), which acts for its workers only: one browser
for each of them, never two at once.

The plan is written to files, one per connection, that bench/mix.lua reads: one request
a line, `kind, method, path, cookie, body`, tab-separated.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

# What each request of a kind asks for, for one client (person) or one open case. The
# kinds with no placeholder are the worker's own pages.
PER_PERSON = {
    "client page": "/clients/{person}/",
    "feedback chart": "/feedback/clients/{person}/",
    "moments timeline": "/bam/clients/{person}/",
    "moment patterns": "/bam/clients/{person}/patterns/",
    "network map": "/network/clients/{person}/",
    "plans page": "/plans/clients/{person}/",
}
PER_WORKER = {"caseload": "/caseload/", "feedback list": "/feedback/"}
WRITE = "journal write"
WRITE_PATH = "/cases/{case}/journal/new/"

# The mixed workload: a day's requests of a worker, by kind, in percent. A worker opens
# the caseload at the start of the day and now and then through it, reads a client's
# page before and after each contact, writes a journal entry for each contact (a phone
# call or a meeting, drafted once and saved), glances at the feedback charts in meetings
# where the checks are used, and less often the plans, BaM and network pages.
MIX = {
    "caseload": 15,
    "client page": 35,
    WRITE: 15,
    "feedback list": 5,
    "feedback chart": 10,
    "plans page": 8,
    "moments timeline": 4,
    "moment patterns": 2,
    "network map": 6,
}


@dataclass
class Worker:
    pk: int
    cookie: str
    persons: list[int] = field(default_factory=list)
    open_cases: list[int] = field(default_factory=list)


def workers(limit: int | None = None) -> list:  # list[User]
    """Active workers with at least one open case they may see: the users whose day the
    benchmark plays. Ordered by key, so the same workers on the same seed every run."""
    from tillit.clients.models import Assignment
    from tillit.org.models import Role, User

    working = Assignment.objects.current().exclude(case__status="closed").values("worker_id")
    users = (
        User.objects.filter(is_active=True, memberships__role=Role.WORKER, pk__in=working)
        .distinct()
        .order_by("pk")
    )
    return list(users[:limit] if limit else users)


def caseloads(users: Iterable, session: Callable[[Any], str]) -> list[Worker]:
    """Each user's clients and open cases, as the access policy decides them, with a
    session of their own (`session(user)` returns the cookie)."""
    from tillit.clients.access import visible_cases

    found = []
    for user in users:
        cases = visible_cases(user)
        persons = sorted(set(cases.values_list("person_id", flat=True)))
        open_cases = sorted(cases.open().values_list("pk", flat=True))
        if persons and open_cases:
            found.append(Worker(user.pk, session(user), persons, open_cases))
    return found


def requests_of(worker: Worker, entry: dict, csrf: str) -> list[tuple[str, str, str, str]]:
    """Every request `worker` may make, as (kind, method, path, body)."""
    out = [(kind, "GET", path, "") for kind, path in PER_WORKER.items()]
    for person in worker.persons:
        out += [(k, "GET", p.format(person=person), "") for k, p in PER_PERSON.items()]
    body = urlencode({**entry, "csrfmiddlewaretoken": csrf})
    out += [(WRITE, "POST", WRITE_PATH.format(case=case), body) for case in worker.open_cases]
    return out


def write_plan(
    prefix: Path,
    connections: int,
    users: list[tuple[str, list[tuple[str, str, str, str]]]],
) -> None:
    """Write `prefix.0` to `prefix.<connections - 1>` for bench/mix.lua: user n's
    requests (cookie, requests) go to connection n mod `connections`."""
    files = [[] for _ in range(connections)]  # type: list[list[str]]
    for n, (cookie, requests) in enumerate(users):
        for kind, method, path, body in requests:
            assert "\t" not in cookie + path + body and "\n" not in cookie + path + body
            files[n % connections].append("\t".join((kind, method, path, cookie, body)))
    for n, lines in enumerate(files):
        Path(f"{prefix}.{n}").write_text("\n".join(lines) + "\n")


def weights(kinds: Mapping[str, float]) -> str:
    """BENCH_WEIGHTS for bench/mix.lua."""
    return ",".join(f"{kind}={weight}" for kind, weight in kinds.items())


def summary(workers_: list[Worker]) -> dict:
    persons = {p for w in workers_ for p in w.persons}
    cases = {c for w in workers_ for c in w.open_cases}
    return {
        "workers": len(workers_),
        "distinct_clients": len(persons),
        "open_cases_written_to": len(cases),
        "clients_per_worker_median": sorted(len(w.persons) for w in workers_)[len(workers_) // 2]
        if workers_
        else 0,
    }
