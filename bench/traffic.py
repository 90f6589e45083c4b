"""Realistic traffic for `make bench` (bench/run.py): many workers, each logged in with a
session of their own, each asking only for what the access policy lets them see.

The lists of clients and cases come from `tillit.clients.access.visible_cases(user)`, the
policy's own query, so the benchmark never asks for a page its users may not open (a 403
or 404 would make the run invalid, bench/mix.lua). Each worker belongs to one wrk
connection (a thread of its own in wrk), which acts for its workers only: one browser
for each of them, never two at once.

The plan is written to files, one per connection, that bench/mix.lua reads: one request
a line, `kind, method, path, cookie, body`, tab-separated.

Besides the realistic plan, the loads of bench/run.py: the floors of each page's size,
the single-URL line on one worker's client (`pick_subjects`), and the peer's plans built
from the users bench/peer_helpdesk/traffic.py makes for it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

CONNECTIONS = 8  # wrk's open connections, each a thread of its own (bench/mix.lua)
# The floor is asked without a session: with one, the middleware would read the session
# and the user (Tillit's own middleware asks whether the user is a client), and the floor
# must make no query at all. The language cookie keeps the middleware's path the same.
FLOOR_COOKIE = "django_language=sv"
# What the benchmark writes in the journal, and so what it deletes (forget_writes).
ENTRY_TEXT = "Kort samtal."

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
# The pages measured, in the order of the tables.
PAGES = (
    "caseload",
    "client page",
    "feedback chart",
    "feedback list",
    "moments timeline",
    "moment patterns",
    "network map",
    "plans page",
)

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


def journal_entry() -> dict:
    """The form of the benchmark's journal write: a phone call yesterday."""
    when = (datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    return {"happened_at": when, "kind": "phone", "text": ENTRY_TEXT, "present": ""}


def forget_writes(author_ids: list[int]) -> int:
    """Delete the drafts the benchmark's journal writes left. A load writes thousands of
    them to the cases of the workers measured, and the caseload counts each worker's
    drafts per case and the client page shows them: left there, they slowed the pages
    from run to run (the caseload's query took 11 ms more after a day's runs), a burden no
    worker's caseload carries. Only the benchmark's own drafts go: it writes no other
    entry and signs none."""
    from tillit.clients.models import EntryStatus, JournalEntry

    drafts = JournalEntry.objects.filter(
        author_id__in=author_ids, status=EntryStatus.DRAFT, text=ENTRY_TEXT
    )
    return drafts.delete()[0]


def pick_subjects() -> dict:
    """A worker with a typical caseload, and one of their clients with a typical journal."""
    from django.db.models import Count, Q

    from tillit.bam.models import Moment
    from tillit.clients.models import Assignment, Case
    from tillit.org.models import User

    worker = (
        User.objects.filter(is_active=True, memberships__role="worker")
        .annotate(n=Count("assignments", filter=Q(assignments__ended_on__isnull=True)))
        .order_by("-n", "pk")  # the same worker in every run on the same seed
    )
    workers_ = list(worker[:50])
    chosen = workers_[len(workers_) // 2]
    case = (
        Case.objects.open()
        .filter(pk__in=Assignment.objects.current().filter(worker=chosen).values("case_id"))
        .annotate(entries=Count("journal_entries"))
        .order_by("-entries", "pk")
    )
    cases = list(case[:40])
    # The client whose pages are measured has BaM moments in this case, where there is one.
    with_moments = [c for c in cases if Moment.objects.filter(case=c).exists()] or cases
    subject = with_moments[len(with_moments) // 2]
    # Another of the worker's clients, for the in-process count of a first visit.
    other = next(
        c
        for c in with_moments[len(with_moments) // 2 :] + cases
        if c.person_id != subject.person_id
    )
    # Writes go to another of the worker's cases, so the page measured keeps its size.
    return {
        "worker": chosen,
        "case": subject,
        "write_case": cases[0],
        "cold_person": other.person_id,
        "caseload": chosen.n,
        "entries": subject.entries,  # type: ignore[attr-defined]
    }


def hot_paths(person: int) -> dict[str, str]:
    """The single-URL line's page paths: the worker's own pages and one client's."""
    paths = {**PER_WORKER, **PER_PERSON}
    return {name: paths[name].format(person=person) for name in PAGES}


def tillit_plan(
    prefix: Path, users: list[Worker], entry: dict, csrf: str, sizes: Mapping[str, int]
) -> Path:
    """Tillit's realistic plan: every worker's requests (requests_of) and, on their
    sessions, the audited floor of each page's size (`sizes`, in bytes); the floor,
    without a session (FLOOR_COOKIE), by every connection alike."""
    per_user = []
    for w in users:
        requests = requests_of(w, entry, csrf)
        requests += [
            (f"audited:{name}", "GET", f"/bench/floor-audited/?size={size}", "")
            for name, size in sizes.items()
        ]
        per_user.append((w.cookie, requests))
    floors = [(f"floor:{n}", "GET", f"/bench/floor/?size={s}", "") for n, s in sizes.items()]
    write_plan(prefix, CONNECTIONS, per_user + [(FLOOR_COOKIE, floors)] * CONNECTIONS)
    return prefix


def hot_plan(prefix: Path, cookie: str, requests: dict[str, tuple[str, str, str]]) -> Path:
    """The secondary, single-URL line: every connection asks for the same URL as the same
    worker, one client's page over and over (what `make bench` measured until issue 27)."""
    line = [(kind, method, path, body) for kind, (path, method, body) in requests.items()]
    write_plan(prefix, CONNECTIONS, [(cookie, line)] * CONNECTIONS)
    return prefix


def peer_plans(plans: Path, peer_users: list[dict], subject: dict, csrf: str) -> None:
    """The peer's realistic plan (`plans`/peer) from its users (bench/peer.py, users) and
    its single-URL line (`plans`/peer-hot) on the subject bench/peer.py's prepare gave."""
    per_user = []
    for u in peer_users:
        requests = [
            ("ticket list", "GET", u["list"], ""),
            ("ticket list JSON", "GET", u["json"], ""),
            *(("ticket detail", "GET", path, "") for path in u["details"]),
            *(
                (
                    "add follow-up",
                    "POST",
                    f["path"],
                    urlencode({**f["data"], "csrfmiddlewaretoken": csrf}),
                )
                for f in u["followups"]
            ),
        ]
        per_user.append((f"sessionid={u['session']}; csrftoken={csrf}", requests))
    write_plan(plans / "peer", CONNECTIONS, per_user)
    peer_cookie = f"sessionid={subject['session']}; csrftoken={csrf}"
    # The one-URL line's follow-up: on one ticket, with that ticket's own title and status.
    first = peer_users[0]["followups"][0]
    followup = urlencode({**first["data"], "csrfmiddlewaretoken": csrf})
    hot_plan(
        plans / "peer-hot",
        peer_cookie,
        {
            "ticket detail": (subject["detail"], "GET", ""),
            "ticket list": (subject["list"], "GET", ""),
            "ticket list JSON": (subject["json"], "GET", ""),
            "add follow-up": (first["path"], "POST", followup),
        },
    )
