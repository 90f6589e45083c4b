"""A bounded mixed load on 127.0.0.1 that fails on any 5xx (issue 22).

    python -m bench.mixed [--engine sqlite|postgresql] [--requests 2000] [--connections 8]
                          [--writes 0.2]

A fresh database with the demo municipality (SQLite in var/, or PostgreSQL at
127.0.0.1:5432, database tillit_bench_mixed), gunicorn with threads, and one worker's
browsers sending a fixed, seeded mix: pages of their clients, and writes that collide on
purpose: new drafts, signing the same drafts, correcting the same versions, recording
the same group sessions. A collision must be answered with a message, never a 5xx.
Prints requests, writes, statuses and p50/p95, and exits 1 on any 5xx or failed request.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench.server import PG, ROOT, bench_env, session_for, setup_django, sh, start_gunicorn

PORT = 8766
SQLITE = ROOT / "var" / "bench-mixed.sqlite3"
PG_NAME = "tillit_bench_mixed"


def fresh_database(engine: str) -> dict:
    """The environment of a new, migrated database with the demo data."""
    if engine == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE}"
    else:
        psql = ("-h", "127.0.0.1", "-U", "postgres")
        sh("dropdb", *psql, "--if-exists", PG_NAME)
        sh("createdb", *psql, PG_NAME)
        url = f"{PG}/{PG_NAME}"
    # The load signs in by session cookie, as one staff member who has set up no phone.
    env = bench_env(url, TILLIT_REQUIRE_MFA="0")
    python = str(ROOT / ".venv" / "bin" / "python")
    (ROOT / "var").mkdir(exist_ok=True)
    sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    sh(python, "manage.py", "seed_demo", env=env)
    return env


def plan(count: int, writes: float, seed: int = 22) -> tuple[list[tuple], dict]:
    """The requests, in order: (method, path, form data or None, kind). Writes pick from
    few targets, so that they collide."""
    from tillit.clients.models import Assignment, Case, EntryStatus, JournalEntry
    from tillit.groups.models import Group
    from tillit.org.models import User

    rng = random.Random(seed)
    worker = User.objects.get(username="anna")
    cases = list(
        Assignment.objects.current()
        .filter(worker=worker, case__in=Case.objects.open())
        .values_list("case_id", "case__person_id")
    )
    signed = list(
        JournalEntry.objects.current()
        .filter(case_id__in=[c for c, _ in cases], status=EntryStatus.SIGNED)
        .values_list("pk", flat=True)[:10]
    )
    drafts = [
        JournalEntry.objects.create(
            case_id=case_id,
            happened_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1),
            kind="phone",
            text="Utkast.",
            author=worker,
        ).pk
        for case_id, _ in cases[:20]
    ]
    groups = [
        g.pk for g in Group.objects.filter(members__person_id__in=[p for _, p in cases]).distinct()
    ]
    when = (datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    days = [datetime.date.today() - datetime.timedelta(days=d) for d in (1, 2, 3)]
    requests: list[tuple[str, str, dict | None, str]] = []
    for _ in range(count):
        case_id, person_id = rng.choice(cases)
        if rng.random() >= writes:
            path = rng.choice(
                [f"/clients/{person_id}/", "/caseload/", f"/feedback/clients/{person_id}/"]
            )
            requests.append(("GET", path, None, "read"))
            continue
        kind = rng.choices(["draft", "sign", "correct", "session"], [4, 2, 2, 2 if groups else 0])
        if kind[0] == "draft":
            data = {"happened_at": when, "kind": "phone", "text": "Kort samtal."}
            requests.append(("POST", f"/cases/{case_id}/journal/new/", data, "draft"))
        elif kind[0] == "sign":
            requests.append(("POST", f"/journal/{rng.choice(drafts)}/sign/", {}, "sign"))
        elif kind[0] == "correct":
            data = {"happened_at": when, "kind": "phone", "text": "Rättad.", "reason": "Fel"}
            requests.append(("POST", f"/journal/{rng.choice(signed)}/correct/", data, "correct"))
        else:
            data = {"step": "session", "session-held_on": rng.choice(days).isoformat()}
            requests.append(("POST", f"/groups/{rng.choice(groups)}/", data, "session"))
    return requests, {"worker": worker, "cases": len(cases), "groups": len(groups)}


def send(request: tuple, cookie: str, csrf: str) -> tuple[str, int, float]:
    method, path, data, kind = request
    headers = {"Cookie": cookie, "Referer": f"http://127.0.0.1:{PORT}/"}
    body = None
    if method == "POST":
        body = urlencode({**data, "csrfmiddlewaretoken": csrf}, doseq=True)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    started = time.perf_counter()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        connection.request(method, path, body=body, headers=headers)
        status = connection.getresponse().status
        connection.close()
    except OSError:
        status = 0  # no answer at all: counted as a failure
    return kind, status, (time.perf_counter() - started) * 1000


def percentile(values: list[float], share: float) -> float:
    return statistics.quantiles(values, n=100)[int(share * 100) - 1] if len(values) > 1 else 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--writes", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    env = fresh_database(args.engine)
    setup_django(env)
    requests, subjects = plan(args.requests, args.writes)
    sessions = [session_for(subjects["worker"]) for _ in range(args.connections)]
    proc = start_gunicorn(PORT, args.workers, args.threads, env)
    try:
        started = time.perf_counter()
        with ThreadPoolExecutor(args.connections) as pool:
            results = list(
                pool.map(
                    lambda n: send(requests[n], *sessions[n % args.connections]),
                    range(len(requests)),
                )
            )
        seconds = time.perf_counter() - started
    finally:
        proc.terminate()
        errors = proc.communicate(timeout=30)[1]
    statuses: dict[int, int] = {}
    for _kind, status, _ms in results:
        statuses[status] = statuses.get(status, 0) + 1
    failed = sum(n for status, n in statuses.items() if status >= 500 or status == 0)
    latency = [ms for *_, ms in results]
    writes = [ms for kind, _, ms in results if kind != "read"]
    print(
        f"{args.engine}: {len(results)} requests ({len(writes)} writes) over "
        f"{args.connections} connections in {seconds:.1f} s, {len(results) / seconds:.0f} req/s; "
        f"p50 {percentile(latency, 0.5):.0f} ms, p95 {percentile(latency, 0.95):.0f} ms "
        f"(writes p95 {percentile(writes, 0.95):.0f} ms); statuses "
        + ", ".join(f"{status}: {n}" for status, n in sorted(statuses.items()))
        + f"; 5xx or no answer: {failed}"
    )
    kinds: dict[str, dict[int, int]] = {}
    for kind, status, _ms in results:
        kinds.setdefault(kind, {}).setdefault(status, 0)
        kinds[kind][status] += 1
    for kind, counted in kinds.items():
        print(f"  {kind:8} " + ", ".join(f"{s}: {n}" for s, n in sorted(counted.items())))
    if failed:
        print(errors[-4000:], file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
