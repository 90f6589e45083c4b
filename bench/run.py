"""make bench: Tillit's main pages under gunicorn and wrk on 127.0.0.1, beside the
framework's floor, against PostgreSQL at a chosen scale.

    python -m bench.run [--scale small|large] [--seconds 10]

Writes bench/results/<date>-<scale>.json and the scale's table in docs/performance.md.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import functools
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
SCALES = {"small": 2000, "large": 50000}
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
PG = "postgres://postgres@127.0.0.1:5432"
# The floor is asked without a session: with one, the middleware would read the session
# and the user (Tillit's own middleware asks whether the user is a client), and the floor
# must make no query at all. The language cookie keeps the middleware's path the same.
FLOOR_COOKIE = "django_language=sv"
CONNECTIONS = 8  # wrk's open connections
# The pairs against the peer are measured in alternation, Tillit then the peer, with both
# servers up, in rounds: the host's load drifts over a run (docs/performance-history.md),
# and a ratio of two measurements minutes apart measured the drift as well.
ROUNDS = 3
ROUND_SECONDS = 5


def sh(*args: str, env: dict | None = None, check: bool = True) -> str:
    done = subprocess.run(
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if check and done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            sys.exit("wrk is missing: apt-get install wrk")
        sh("apt-get", "update", "-qq")
        sh("apt-get", "install", "-y", "-qq", "wrk")
    return shutil.which("wrk") or "wrk"


def ensure_database(scale: str, env: dict) -> None:
    name = f"tillit_bench_{scale}"
    exists = sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-Atc",
        f"select 1 from pg_database where datname = '{name}'",
    )
    if not exists.strip():
        sh("createdb", "-h", "127.0.0.1", "-U", "postgres", name)
    python = str(ROOT / ".venv" / "bin" / "python")
    sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    # As a deployment does: whitenoise serves from STATIC_ROOT (and warns when there is none).
    sh(python, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    count = sh(
        "psql",
        "-h",
        "127.0.0.1",
        "-U",
        "postgres",
        "-d",
        name,
        "-Atc",
        "select count(*) from clients_person",
    )
    if int(count.strip() or 0) == 0:
        print(f"seeding {scale}: {SCALES[scale]} clients")
        print(
            sh(
                python,
                "manage.py",
                "seed_scale",
                "--clients",
                str(SCALES[scale]),
                "--years",
                "5",
                env=env,
            )
        )


def setup_django(env: dict):  # type: ignore[no-untyped-def]
    os.environ.update(env)
    import django

    django.setup()


def top_up() -> None:
    """A database seeded before a feature's records existed gets them now, for every
    client who has none (each feature's seed writes only what is missing)."""
    from django.db import connection, transaction

    from bench.seed import Report, Writer
    from bench.seed_bam import seed_moments
    from bench.seed_network import seed_network
    from tillit.bam.models import Moment
    from tillit.network.models import NetworkMember

    topped = False
    if not Moment.objects.exists():
        seed_moments(Writer(Report()))
        print(f"topped up: {Moment.objects.count():,} BaM moments")
        topped = True
    if not NetworkMember.objects.exists():
        with transaction.atomic():
            seed_network(Writer(Report()), 1)
        print(f"topped up: {NetworkMember.objects.count():,} network members")
        topped = True
    if topped and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # without statistics the planner guessed badly


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
    workers = list(worker[:50])
    chosen = workers[len(workers) // 2]
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
    # Writes go to another of the worker's cases, so the page measured keeps its size.
    return {
        "worker": chosen,
        "case": subject,
        "write_case": cases[0],
        "caseload": chosen.n,
        "entries": subject.entries,  # type: ignore[attr-defined]
    }


# What the benchmark writes in the journal, and so what it deletes (forget_writes).
ENTRY_TEXT = "Kort samtal."


def forget_writes(case_id: int, author_id: int) -> int:
    """Delete the drafts the benchmark's journal writes left in the case. A load writes
    thousands to one case of the worker measured, and the caseload counts each worker's
    drafts per case: left there, they slowed the caseload from run to run (its query
    took 11 ms more after a day's runs), a burden no worker's caseload carries. Only the
    benchmark's own drafts go: it writes no other entry and signs none."""
    from tillit.clients.models import EntryStatus, JournalEntry

    drafts = JournalEntry.objects.filter(
        case_id=case_id, author_id=author_id, status=EntryStatus.DRAFT, text=ENTRY_TEXT
    )
    return drafts.delete()[0]


def session_for(user) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = "b" * 32
    return f"sessionid={store.session_key}; csrftoken={csrf}; django_language=sv", csrf


def in_process(user, requests: dict[str, tuple[str, dict | None]]) -> dict[str, dict]:  # type: ignore[no-untyped-def]
    """Queries and Python function calls of one request to each page (a GET, or a POST of
    the data given), made in this process with the cache warm, as every request under load
    finds it. Both are exact and repeat from run to run, where timings on this shared VM
    move by a fifth: they are what to compare when judging a change."""
    import cProfile
    import pstats

    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = {}

    def send(path: str, data: dict | None) -> int:
        return (client.post(path, data) if data else client.get(path)).status_code

    for name, (path, data) in requests.items():
        send(path, data)
        reset_queries()  # the capture counts on a log that stops growing once full
        with CaptureQueriesContext(connection) as captured:
            status = send(path, data)
        assert status in (200, 302), (path, status)
        # Counted now: the next request empties the log the capture reads.
        queries = len([q for q in captured if "SAVEPOINT" not in q["sql"]])
        profile = cProfile.Profile()
        profile.runcall(send, path, data)
        counts[name] = {
            "queries": queries,
            "calls": pstats.Stats(profile).total_calls,  # type: ignore[attr-defined]
        }
    return counts


def page_size(path: str, cookie: str) -> int:
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})
    return len(urllib.request.urlopen(request).read())


def start_gunicorn(env: dict, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench.wsgi",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/bench/floor/?size=10")
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn did not start: " + (proc.stderr.read() if proc.stderr else ""))


def worker_peak_kib(master: int) -> int:
    children = sh("pgrep", "-P", str(master), check=False).split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peak = re.search(r"VmHWM:\s+(\d+)", status)
        if peak:  # a worker that has exited but not been reaped has no such line
            peaks.append(int(peak.group(1)))
    return max(peaks, default=0)


def load(
    wrk: str,
    path: str,
    seconds: int,
    cookie: str,
    csrf: str,
    method: str = "GET",
    body: str = "",
    base: str = BASE,
) -> dict:
    env = {
        "BENCH_METHOD": method,
        "BENCH_BODY": body,
        "BENCH_COOKIE": cookie,
        "BENCH_CSRF": csrf,
        "BENCH_REFERER": base + "/",
    }
    out = sh(
        wrk,
        "-t2",
        f"-c{CONNECTIONS}",
        f"-d{seconds}s",
        "-s",
        str(ROOT / "bench" / "load.lua"),
        base + path,
        env=env,
    )
    settle(base)
    return json.loads(out.strip().splitlines()[-1])


def settle(base: str) -> None:
    """Wait until the server has answered every request still queued from a load: wrk stops
    at its deadline, but a sync worker finishes each request it has accepted, and the
    peer's slowest page (over a second at the large scale) kept its workers and PostgreSQL
    busy for seconds into the next measurement. One request per wrk connection, all at
    once, returns only after everything queued ahead of them."""

    def ask(_: int) -> None:
        with contextlib.suppress(urllib.error.HTTPError):  # a 404 is an answer
            urllib.request.urlopen(f"{base}/bench-settle/", timeout=120).read()

    with ThreadPoolExecutor(CONNECTIONS) as pool:
        list(pool.map(ask, range(CONNECTIONS)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", choices=SCALES, default=os.environ.get("SCALE", "small"))
    parser.add_argument("--seconds", type=int, default=10)
    # One sync worker per core. gunicorn's advice of (2 x cores) + 1 was measured here
    # (docs/performance-history.md): on 2 cores shared with wrk and PostgreSQL it lowered
    # the floor by a third and Tillit's pages with it, and helped only the peer's slowest pages.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    env = {
        "DATABASE_URL": f"{PG}/tillit_bench_{args.scale}",
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "TILLIT_DEBUG": "0",
        "TILLIT_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    }
    wrk = ensure_wrk()
    ensure_database(args.scale, env)
    setup_django(env)
    top_up()
    subjects = pick_subjects()
    worker, case = subjects["worker"], subjects["case"]
    cookie, csrf = session_for(worker)
    paths = {
        "caseload": "/caseload/",
        "client page": f"/clients/{case.person_id}/",
        "feedback chart": f"/feedback/clients/{case.person_id}/",
        "feedback list": "/feedback/",
        "moments timeline": f"/bam/clients/{case.person_id}/",
        "moment patterns": f"/bam/clients/{case.person_id}/patterns/",
        "network map": f"/network/clients/{case.person_id}/",
    }
    when = (datetime.datetime.now() - datetime.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    entry = {"happened_at": when, "kind": "phone", "text": ENTRY_TEXT, "present": ""}
    write_path = f"/cases/{subjects['write_case'].pk}/journal/new/"
    forget = functools.partial(forget_writes, subjects["write_case"].pk, worker.pk)
    forget()  # what an earlier run left
    counted = in_process(
        worker,
        {
            **{name: (path, None) for name, path in paths.items()},
            "journal write": (write_path, entry),
        },
    )
    proc = start_gunicorn(env, args.workers)
    results: dict = {
        "scale": args.scale,
        "clients": SCALES[args.scale],
        "date": datetime.date.today().isoformat(),
        "caseload": subjects["caseload"],
        "client_entries": subjects["entries"],
        "load": f"wrk -t2 -c{CONNECTIONS}",
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "cpu_count": os.cpu_count(),
        "pages": {},
    }

    def measure(name: str, path: str, size: int, method: str = "GET", body: str = "") -> None:
        floor = load(wrk, f"/bench/floor/?size={size}", args.seconds, FLOOR_COOKIE, csrf)
        audited = load(wrk, f"/bench/floor-audited/?size={size}", args.seconds, cookie, csrf)
        page = load(wrk, path, args.seconds, cookie, csrf, method, body)
        if method == "POST":
            forget()
        results["pages"][name] = {
            "path": path,
            "method": method,
            "bytes": size,
            **counted[name],
            **page,
            "floor_rps": floor["rps"],
            "ratio_to_floor": round(page["rps"] / floor["rps"], 3),
            "audited_floor_rps": audited["rps"],
            "ratio_to_audited_floor": round(page["rps"] / audited["rps"], 3),
        }
        print(
            f"{name:16} {page['rps']:8.1f} req/s  p50 {page['p50_ms']:7.1f} ms  "
            f"p95 {page['p95_ms']:7.1f} ms  floor {floor['rps']:8.1f} "
            f"(ratio {page['rps'] / floor['rps']:.2f})  audited floor {audited['rps']:8.1f} "
            f"(ratio {page['rps'] / audited['rps']:.2f})  queries {counted[name]['queries']}  "
            f"calls {counted[name]['calls']}"
        )

    body = urlencode({**entry, "csrfmiddlewaretoken": csrf})
    requests = {name: (path, "GET", "") for name, path in paths.items()}
    requests["journal write"] = (write_path, "POST", body)
    try:
        for name, path in paths.items():
            measure(name, path, page_size(path, cookie))
        # The write answers with a redirect: its floor is a page of a hundred bytes.
        measure("journal write", write_path, 100, "POST", body)
        results["worker_peak_rss_kib"] = worker_peak_kib(proc.pid)
        results["peer"] = run_peer(wrk, args, results["pages"], requests, cookie, csrf, forget)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    out = ROOT / "bench" / "results" / f"{results['date']}-{args.scale}.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    write_table(results)
    print(f"wrote {out.relative_to(ROOT)} and docs/performance.md")


def run_peer(
    wrk: str,
    args: argparse.Namespace,
    ours: dict,
    requests: dict,
    cookie: str,
    csrf: str,
    forget: Callable[[], int],
) -> dict:
    """The same work on django-helpdesk: ticket detail ~ client page, ticket list plus its
    JSON ~ caseload, adding a follow-up ~ writing a journal entry. Each pair's ratio is
    the median of its rounds; its ceiling is what the ratio would be if Tillit's page cost
    no more than the audited floor (reading the session, committing one audit row)."""
    from bench import peer

    peer_env, subject = peer.prepare(args.scale, SCALES[args.scale], {**os.environ})
    peer_cookie = f"sessionid={subject['session']}; csrftoken={csrf}"
    followup = urlencode(
        {
            "comment": "Kort samtal.",
            "new_status": subject["status"],
            "public": "1",
            "title": "Ärende",
            "priority": 3,
            "queue": subject["queue"],
            "owner": -1,
            "csrfmiddlewaretoken": csrf,
        }
    )
    # A caseload view in the peer is two requests: the page and the JSON that fills it.
    pairs = {
        "client page / ticket detail": ("client page", [(subject["detail"], "GET", "")]),
        "caseload / ticket list + JSON": (
            "caseload",
            [(subject["list"], "GET", ""), (subject["json"], "GET", "")],
        ),
        "journal write / add follow-up": ("journal write", [(subject["update"], "POST", followup)]),
    }
    rounds: dict[str, dict[str, list[float]]] = {pair: {"tillit": [], "peer": []} for pair in pairs}
    proc = peer.start(peer_env, args.workers)
    try:
        for _ in range(ROUNDS):
            for pair, (name, theirs) in pairs.items():
                path, method, body = requests[name]
                mine = load(wrk, path, ROUND_SECONDS, cookie, csrf, method, body)
                if method == "POST":
                    forget()
                seconds_each = sum(
                    1
                    / load(
                        wrk,
                        their_path,
                        ROUND_SECONDS,
                        peer_cookie,
                        csrf,
                        their_method,
                        their_body,
                        base=peer.BASE,
                    )["rps"]
                    for their_path, their_method, their_body in theirs
                )
                rounds[pair]["tillit"].append(mine["rps"])
                rounds[pair]["peer"].append(1 / seconds_each)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result: dict = {
        "tickets": SCALES[args.scale],
        "followups": SCALES[args.scale] * peer.FOLLOWUPS_PER_TICKET,
        "rounds": ROUNDS,
        "round_seconds": ROUND_SECONDS,
        "pairs": {},
    }
    for pair, measured in rounds.items():
        ratios = [a / b for a, b in zip(measured["tillit"], measured["peer"], strict=True)]
        peer_rps = statistics.median(measured["peer"])
        result["pairs"][pair] = {
            "tillit_rps": round(statistics.median(measured["tillit"]), 1),
            "peer_rps": round(peer_rps, 1),
            "ratio": round(statistics.median(ratios), 2),
            "ratio_min": round(min(ratios), 2),
            "ratio_max": round(max(ratios), 2),
            "ceiling": round(ours[pairs[pair][0]]["audited_floor_rps"] / peer_rps, 2),
            "rounds": {k: [round(v, 1) for v in values] for k, values in measured.items()},
        }
        done = result["pairs"][pair]
        print(
            f"{pair:32} Tillit/peer {done['ratio']:.2f} ({done['ratio_min']:.2f} to "
            f"{done['ratio_max']:.2f})  peer {done['peer_rps']} req/s  ceiling {done['ceiling']}"
        )
    return result


def write_table(results: dict) -> None:
    doc = ROOT / "docs" / "performance.md"
    text = doc.read_text() if doc.exists() else "# Performance\n"
    rows = [
        f"<!-- {results['scale']} -->",
        f"### Scale: {results['scale']} ({results['clients']:,} clients), {results['date']}",
        "",
        f"Worker with {results['caseload']} open cases; client page for a client with "
        f"{results['client_entries']} journal entries. {results['load']} for "
        f"{results['seconds']} s per page, gunicorn with {results['gunicorn_workers']} "
        f"workers on {results['cpu_count']} cores; peak worker memory "
        f"{results['worker_peak_rss_kib'] / 1024:.0f} MiB.",
        "",
        "| page | req/s | p50 ms | p95 ms | floor req/s | ratio to floor "
        "| audited floor req/s | ratio to audited floor | queries | Python calls |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, page in results["pages"].items():
        calls = f"{page['calls']:,}" if "calls" in page else "—"
        rows.append(
            f"| {name} | {page['rps']:.0f} | {page['p50_ms']:.1f} | "
            f"{page['p95_ms']:.1f} | {page['floor_rps']:.0f} | "
            f"{page['ratio_to_floor']:.2f} | {page['audited_floor_rps']:.0f} | "
            f"{page['ratio_to_audited_floor']:.2f} | {page.get('queries') or '—'} | {calls} |"
        )
    if results.get("peer"):
        peer = results["peer"]
        rows += [
            "",
            f"Peer: django-helpdesk 2.6.1, {peer['tickets']:,} tickets with "
            f"{peer['followups']:,} follow-ups, same server set-up. Each pair in "
            f"{peer['rounds']} rounds of {peer['round_seconds']} s, Tillit then the peer; "
            "medians. The ceiling is the audited floor over the peer: the ratio if Tillit's "
            "page cost only the session and its audit row.",
            "",
            "| pair | Tillit req/s | peer req/s | Tillit / peer | rounds | ceiling |",
            "|---|---:|---:|---:|---:|---:|",
        ]
        for pair, done in peer["pairs"].items():
            rows.append(
                f"| {pair} | {done['tillit_rps']:.0f} | {done['peer_rps']:.0f} | "
                f"{done['ratio']:.2f} | {done['ratio_min']:.2f} to {done['ratio_max']:.2f} | "
                f"{done['ceiling']:.2f} |"
            )
    rows.append(f"<!-- /{results['scale']} -->")
    block = "\n".join(rows)
    pattern = re.compile(rf"<!-- {results['scale']} -->.*?<!-- /{results['scale']} -->", re.DOTALL)
    text = pattern.sub(block, text) if pattern.search(text) else text.rstrip() + "\n\n" + block
    doc.write_text(text + ("\n" if not text.endswith("\n") else ""))


if __name__ == "__main__":
    main()
