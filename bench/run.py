"""make bench: Tillit's main pages under gunicorn and wrk on 127.0.0.1, beside the
framework's floor and a peer (django-helpdesk), against PostgreSQL at a chosen scale.

    python -m bench.run [--scale small|large] [--seconds 10] [--rounds 3]

Every page and write is measured on realistic traffic (bench/traffic.py, bench/mix.lua):
every worker with open cases, each wrk connection acting for its own workers with their
own sessions, asking for the clients and writing to the open cases the access policy lets
each of them see; the peer likewise. The single-URL run (one worker, one client, the same
URL: the fragment cache's best case) is kept as a secondary line. A mixed workload (a
day's mix of reads and writes across all the workers) gives p50/p95/p99 and throughput.

A run in which any load had a socket error, a response other than 2xx/3xx or not the
status its request must get is invalid: it says so, publishes nothing and exits 2.
Otherwise it writes bench/results/<date>-<scale>.json and the scale's tables in
docs/performance.md.

This is the runner: the command line, the rounds, the checks that make a load invalid
and the exit codes. What each load sends is in bench/traffic.py (the peer's users in
bench/peer.py), the tables in bench/report.py, and the server and sessions in
bench/server.py, which bench/mixed.py shares.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import datetime
import functools
import json
import os
import shutil
import signal
import statistics
import sys
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from bench import report, traffic
from bench.server import (
    PG,
    PSQL,
    ROOT,
    bench_env,
    cpu_times,
    ensure_pg_database,
    host_noise,
    session_for,
    setup_django,
    sh,
    start_gunicorn,
    worker_peak_kib,
)
from bench.traffic import CONNECTIONS

SCALES = {"small": 2000, "large": 50000}
PORT = 8765
BASE = f"http://127.0.0.1:{PORT}"
# The pairs against the peer are measured in alternation, Tillit then the peer, with both
# servers up, in rounds: the host's load drifts over a run (docs/performance-history.md),
# and a ratio of two measurements minutes apart measured the drift as well.
ROUNDS = 3
ROUND_SECONDS = 5  # the one-URL line's loads
MIXED_SECONDS = 20
# The mixed workload's throughput as social workers served: a worker at the busiest hour
# of the day asks for two pages a minute (a page every 30 s while working in the system;
# over the whole day a worker makes about 150 requests, 0.3 a minute).
PEAK_PER_MINUTE = 2


def ensure_wrk() -> str:
    if not shutil.which("wrk"):
        if os.geteuid() != 0:
            sys.exit("wrk is missing: apt-get install wrk")
        sh("apt-get", "update", "-qq")
        sh("apt-get", "install", "-y", "-qq", "wrk")
    return shutil.which("wrk") or "wrk"


def ensure_database(scale: str, env: dict) -> None:
    name = f"tillit_bench_{scale}"
    ensure_pg_database(name)
    python = str(ROOT / ".venv" / "bin" / "python")
    sh(python, "manage.py", "migrate", "--noinput", "-v0", env=env)
    # As a deployment does: whitenoise serves from STATIC_ROOT (and warns when there is none).
    sh(python, "manage.py", "collectstatic", "--noinput", "-v0", env=env)
    count = sh(*PSQL, "-d", name, "-Atc", "select count(*) from clients_person")
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


def top_up() -> None:
    """A database seeded before a feature's records existed gets them now, for every
    client who has none (each feature's seed writes only what is missing)."""
    from django.db import connection, transaction

    from bench.seed import Report, Writer
    from bench.seed_bam import seed_moments
    from bench.seed_flow import seed_flow
    from bench.seed_network import seed_network
    from tillit.bam.models import Moment
    from tillit.decisions.models import Decision
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
    if not Decision.objects.exists():
        with transaction.atomic():
            seed_flow(Writer(Report()), 1)
        print(f"topped up: {Decision.objects.count():,} decisions and their case flow")
        topped = True
    if topped and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # without statistics the planner guessed badly


def in_process(
    user,
    requests: dict[str, tuple[str, dict | None]],
    cold: dict[str, str] | None = None,
) -> dict[str, dict]:
    """Queries and Python function calls of one request to each page (a GET, or a POST of
    the data given), made in this process with the cache warm, as the one-URL line finds
    it; and for the pages in `cold`, of a first visit to another client's page (`cold`
    gives its path), as realistic traffic mostly finds it: the process warm, the page's
    fragments not yet cached. Both are exact and repeat from run to run, where timings on
    this shared VM move by a fifth: they are what to compare when judging a change."""
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
        if cold and name in cold:
            reset_queries()
            profile = cProfile.Profile()
            with CaptureQueriesContext(connection) as captured:
                status = profile.runcall(send, cold[name], None)
            assert status == 200, (cold[name], status)
            counts[name]["cold_queries"] = len([q for q in captured if "SAVEPOINT" not in q["sql"]])
            counts[name]["cold_calls"] = pstats.Stats(profile).total_calls  # type: ignore[attr-defined]
    return counts


def page_size(path: str, cookie: str) -> int:
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookie})
    return len(urllib.request.urlopen(request).read())


def problems(result: dict) -> list[str]:
    """What makes a load's result invalid: any socket error, any response other than 2xx or
    3xx, any response other than the one its request must get (200 for a page, a
    redirect for a write: a form re-rendered with 200 is a write that did not happen),
    and a Tillit load with fewer audit rows than requests served (a page served without
    its audit row, e.g. a login page for a lost session)."""
    found = []
    sockets = {k: v for k, v in result.get("socket_errors", {}).items() if v}
    if sockets:
        found.append(f"socket errors {sockets}")
    if result.get("non_2xx_3xx"):
        found.append(f"{result['non_2xx_3xx']} responses not 2xx or 3xx")
    if result.get("unexpected"):
        found.append(f"{result['unexpected']} responses not the status expected")
    if result.get("errors") and not found:
        found.append(f"{result['errors']} errors")
    if result.get("requests", 0) == 0:
        found.append("no request completed")
    audited = result.get("audit_rows")
    if audited is not None and audited < result.get("requests", 0):
        found.append(f"{audited} audit rows for {result['requests']} requests")
    if found:
        found.append(f"statuses {result.get('statuses')}")
    return found


@dataclasses.dataclass
class Loader:
    """Runs wrk with bench/mix.lua on a plan (bench/traffic.py) and checks each result:
    every load that is not clean is kept in `invalid`, and the run is not published."""

    wrk: str
    csrf: str
    invalid: list[str] = dataclasses.field(default_factory=list)
    audit_rows: Callable[[], int] | None = None

    def __call__(
        self, what: str, plan: Path, weights: Mapping[str, float], seconds: int, base: str = BASE
    ) -> dict:
        before = self.audit_rows() if self.audit_rows and base == BASE else None
        out = sh(
            self.wrk,
            f"-t{CONNECTIONS}",
            f"-c{CONNECTIONS}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(ROOT / "bench" / "mix.lua"),
            base,
            env={
                "BENCH_PLAN": str(plan),
                "BENCH_WEIGHTS": traffic.weights(weights),
                "BENCH_CSRF": self.csrf,
                "BENCH_REFERER": base + "/",
            },
        )
        settle(base)
        result = json.loads(out.strip().splitlines()[-1])
        if (
            before is not None
            and self.audit_rows
            and not all(k.startswith("floor:") for k in weights)
        ):
            result["audit_rows"] = self.audit_rows() - before
        found = problems(result)
        if found:
            message = f"INVALID: {what}: " + "; ".join(found)
            print(message, file=sys.stderr, flush=True)
            self.invalid.append(message)
        return result


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
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    parser.add_argument("--mixed-seconds", type=int, default=MIXED_SECONDS)
    parser.add_argument(
        "--pages", default="", help="comma-separated page names (all if empty): for trying"
    )
    parser.add_argument("--no-peer", action="store_true", help="for trying the harness")
    parser.add_argument(
        "--publish",
        type=Path,
        help="a valid run's results JSON (e.g. measured in a clean worktree of a commit): "
        "copy it to bench/results/ and write its tables in docs/performance.md",
    )
    # One sync worker per core. gunicorn's advice of (2 x cores) + 1 was measured here
    # (docs/performance-history.md): on 2 cores shared with wrk and PostgreSQL it lowered
    # the floor by a third and Tillit's pages with it, and helped only the peer's slowest pages.
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if args.publish:
        report.publish(json.loads(args.publish.read_text()))
        return
    env = bench_env(f"{PG}/tillit_bench_{args.scale}")
    wrk = ensure_wrk()
    started_cpu, started_load = cpu_times(), os.getloadavg()[0]
    ensure_database(args.scale, env)
    setup_django(env)
    top_up()
    from django.db.models import Max

    from tillit.audit.models import AccessLog

    subjects = traffic.pick_subjects()
    worker, case = subjects["worker"], subjects["case"]
    cookie, csrf = session_for(worker)
    entry = traffic.journal_entry()
    # The realistic traffic: every worker with open cases, each with a session of their own.
    users = traffic.caseloads(traffic.workers(), lambda user: session_for(user)[0])
    if len(users) < CONNECTIONS:
        sys.exit(f"{len(users)} workers with open cases: too few for {CONNECTIONS} connections")
    authors = [w.pk for w in users] + [worker.pk]
    forget = functools.partial(traffic.forget_writes, authors)
    forget()  # what an earlier run left
    hot_paths = traffic.hot_paths(case.person_id)
    pages = [p for p in args.pages.split(",") if p] or [*hot_paths, traffic.WRITE]
    write_path = f"/cases/{subjects['write_case'].pk}/journal/new/"
    body = urlencode({**entry, "csrfmiddlewaretoken": csrf})
    cold = {
        name: path.format(person=subjects["cold_person"])
        for name, path in traffic.PER_PERSON.items()
    }
    counted = in_process(
        worker,
        {
            **{name: (path, None) for name, path in hot_paths.items() if name in pages},
            **({traffic.WRITE: (write_path, entry)} if traffic.WRITE in pages else {}),
        },
        cold,
    )
    forget()
    proc = start_gunicorn(PORT, args.workers, 1, env)
    try:
        # Page sizes, for floors of the same size: the hot subject's pages.
        sizes = {name: page_size(path, cookie) for name, path in hot_paths.items()}
    except urllib.error.HTTPError as error:
        proc.terminate()
        proc.wait(timeout=30)
        sys.exit(f"the page {error.url} answered {error.code}")
    sizes[traffic.WRITE] = 100  # the write answers with a redirect
    plans = Path(tempfile.mkdtemp(prefix="tillit-bench-"))
    traffic.tillit_plan(plans / "tillit", users, entry, csrf, sizes)
    hot = {name: (path, "GET", "") for name, path in hot_paths.items()}
    hot[traffic.WRITE] = (write_path, "POST", body)
    traffic.hot_plan(plans / "hot", cookie, hot)
    load = Loader(wrk, csrf, audit_rows=lambda: AccessLog.objects.aggregate(n=Max("pk"))["n"] or 0)
    results: dict = {
        "scale": args.scale,
        "clients": SCALES[args.scale],
        "date": datetime.date.today().isoformat(),
        "commit": sh("git", "-C", str(ROOT), "rev-parse", "--short", "HEAD").strip(),
        "dirty": bool(sh("git", "-C", str(ROOT), "status", "--porcelain", "--", "tillit").strip()),
        "traffic": traffic.summary(users),
        "hot_subject": {"caseload": subjects["caseload"], "client_entries": subjects["entries"]},
        "load": f"wrk -t{CONNECTIONS} -c{CONNECTIONS}, bench/mix.lua",
        "seconds": args.seconds,
        "gunicorn_workers": args.workers,
        "cpu_count": os.cpu_count(),
        "pages": {},
    }
    print(
        f"realistic traffic: {results['traffic']['workers']} workers, "
        f"{results['traffic']['distinct_clients']} distinct clients, "
        f"{results['traffic']['open_cases_written_to']} open cases written to",
        flush=True,
    )

    def measure(name: str) -> None:
        floor = load(f"floor for {name}", plans / "tillit", {f"floor:{name}": 1}, args.seconds)
        audited = load(
            f"audited floor for {name}", plans / "tillit", {f"audited:{name}": 1}, args.seconds
        )
        page = load(name, plans / "tillit", {name: 1}, args.seconds)
        if name == traffic.WRITE:
            forget()
        one_url = load(f"{name}, one URL", plans / "hot", {name: 1}, ROUND_SECONDS)
        if name == traffic.WRITE:
            forget()
        results["pages"][name] = {
            "hot_path": hot[name][0],
            "bytes": sizes[name],
            **counted.get(name, {}),
            **page,
            "hot": one_url,
            "floor_rps": floor["rps"],
            "ratio_to_floor": round(page["rps"] / floor["rps"], 3),
            "audited_floor_rps": audited["rps"],
            "ratio_to_audited_floor": round(page["rps"] / audited["rps"], 3),
        }
        print(
            f"{name:16} {page['rps']:8.1f} req/s  p50 {page['p50_ms']:7.1f} ms  "
            f"p95 {page['p95_ms']:7.1f} ms  p99 {page['p99_ms']:7.1f} ms  "
            f"one URL {one_url['rps']:8.1f} req/s  floor {floor['rps']:8.1f} "
            f"audited floor {audited['rps']:8.1f}  queries {counted.get(name, {}).get('queries')}  "
            f"calls {counted.get(name, {}).get('calls')}  first visit "
            f"{counted.get(name, {}).get('cold_queries')} queries "
            f"{counted.get(name, {}).get('cold_calls')} calls",
            flush=True,
        )

    try:
        for name in pages:
            measure(name)
        results["mixed"] = run_mixed(load, plans / "tillit", args, forget)
        results["worker_peak_rss_kib"] = worker_peak_kib(proc.pid)
        if not args.no_peer:
            results["peer"] = run_peer(load, args, results["pages"], users, plans, forget)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        shutil.rmtree(plans, ignore_errors=True)
    results["invalid"] = load.invalid
    results["host"] = host_noise(started_cpu, started_load)
    print(f"host: {results['host']}")
    if load.invalid:
        out = report.save(results, ".invalid.tmp")
        print(
            "\n" + "!" * 78 + f"\nTHIS RUN IS INVALID: {len(load.invalid)} loads had errors; "
            "nothing is published.\n" + "\n".join(load.invalid) + "\n"
            f"(raw numbers in {out.relative_to(ROOT)}, for finding the cause)\n" + "!" * 78,
            file=sys.stderr,
        )
        sys.exit(2)
    if args.pages or args.no_peer or args.rounds != ROUNDS:
        out = report.save(results, ".partial.tmp")
        print(f"a partial run (--pages, --no-peer or --rounds): not published; {out}")
        return
    report.publish(results)


def workers_served(rps: float) -> int:
    """Social workers one server serves at `rps`, if each makes PEAK_PER_MINUTE requests a
    minute at the busiest hour."""
    return int(rps * 60 / PEAK_PER_MINUTE)


def run_mixed(load: Loader, plan: Path, args: argparse.Namespace, forget: Callable) -> dict:
    """A day's mix of reads and writes across all the workers (traffic.MIX), at
    CONNECTIONS connections, in rounds."""
    rounds = []
    for n in range(args.rounds):
        result = load(f"mixed workload, round {n + 1}", plan, traffic.MIX, args.mixed_seconds)
        forget()
        rounds.append(result)
        print(
            f"mixed round {n + 1}: {result['rps']:.1f} req/s  p50 {result['p50_ms']:.1f} ms  "
            f"p95 {result['p95_ms']:.1f} ms  p99 {result['p99_ms']:.1f} ms  "
            f"({result['requests']} requests)",
            flush=True,
        )
    middle = sorted(rounds, key=lambda r: r["rps"])[len(rounds) // 2]
    return {
        "weights": traffic.MIX,
        "connections": CONNECTIONS,
        "seconds": args.mixed_seconds,
        "peak_requests_per_worker_minute": PEAK_PER_MINUTE,
        "rounds": rounds,
        "median": {k: middle[k] for k in ("rps", "p50_ms", "p95_ms", "p99_ms", "requests")},
        "workers_served": workers_served(middle["rps"]),
    }


def run_peer(
    load: Loader,
    args: argparse.Namespace,
    ours: dict,
    users: list[traffic.Worker],
    plans: Path,
    forget: Callable[[], int],
) -> dict:
    """The same work on django-helpdesk, on the same realistic traffic: a user of its own
    for each of Tillit's workers, each with as many distinct tickets of their own queue as
    the worker has clients (ticket detail ~ client page), their queue's list with the JSON
    that fills it (~ caseload), a follow-up on as many of their open tickets as the worker
    has open cases (~ journal write). Each pair in alternating rounds, Tillit then the
    peer, realistic then one URL (the secondary line); its ratio is the median of its
    rounds; the ceiling is what the ratio would be if Tillit's page cost no more than the
    audited floor (reading the session, committing one audit row)."""
    from bench import peer

    peer_env, subject = peer.prepare(args.scale, SCALES[args.scale], {**os.environ})
    peer_users = peer.users(peer_env, users)
    traffic.peer_plans(plans, peer_users, subject, load.csrf)
    forget_peer = functools.partial(peer.forget_followups, args.scale)
    forget_peer()
    # A caseload view in the peer is two requests: the page and the JSON that fills it.
    pairs = {
        "client page / ticket detail": ("client page", ["ticket detail"]),
        "caseload / ticket list + JSON": ("caseload", ["ticket list", "ticket list JSON"]),
        "journal write / add follow-up": (traffic.WRITE, ["add follow-up"]),
    }
    lines = ("realistic", "hot")
    rounds: dict[str, dict[str, dict[str, list[float]]]] = {
        pair: {line: {"tillit": [], "peer": []} for line in lines} for pair in pairs
    }
    p95: dict[str, dict[str, list[float]]] = {pair: {"tillit": [], "peer": []} for pair in pairs}
    proc = peer.start(peer_env, args.workers)
    if proc.poll() is not None:
        sys.exit("the peer's gunicorn exited at its start")
    try:
        for n in range(args.rounds):
            for pair, (name, theirs) in pairs.items():
                for line in lines:
                    ours_plan, theirs_plan = (
                        (plans / "tillit", plans / "peer")
                        if line == "realistic"
                        else (plans / "hot", plans / "peer-hot")
                    )
                    seconds = args.seconds if line == "realistic" else ROUND_SECONDS
                    what = f"{pair}, {line}, round {n + 1}"
                    mine = load(f"Tillit: {what}", ours_plan, {name: 1}, seconds)
                    if name == traffic.WRITE:
                        forget()
                    loads = [
                        load(f"peer: {kind} ({what})", theirs_plan, {kind: 1}, seconds, peer.BASE)
                        for kind in theirs
                    ]
                    if name == traffic.WRITE:
                        forget_peer()
                    rounds[pair][line]["tillit"].append(mine["rps"])
                    rounds[pair][line]["peer"].append(1 / sum(1 / r["rps"] for r in loads))
                    if line == "realistic":
                        p95[pair]["tillit"].append(mine["p95_ms"])
                        p95[pair]["peer"].append(max(r["p95_ms"] for r in loads))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    result: dict = {
        "tickets": SCALES[args.scale],
        "followups": SCALES[args.scale] * peer.FOLLOWUPS_PER_TICKET,
        "users": len(peer_users),
        "distinct_tickets": len({d for u in peer_users for d in u["details"]}),
        "tickets_followed_up": len({f["path"] for u in peer_users for f in u["followups"]}),
        "queues": len({u["queue"] for u in peer_users}),
        "rounds": args.rounds,
        "round_seconds": args.seconds,
        "hot_round_seconds": ROUND_SECONDS,
        "pairs": {},
    }
    for pair, measured in rounds.items():
        done_pair: dict = {"ceiling": None, "rounds": {}}
        for line in lines:
            ratios = [
                a / b for a, b in zip(measured[line]["tillit"], measured[line]["peer"], strict=True)
            ]
            done_pair[line] = {
                "tillit_rps": round(statistics.median(measured[line]["tillit"]), 1),
                "peer_rps": round(statistics.median(measured[line]["peer"]), 1),
                "ratio": round(statistics.median(ratios), 2),
                "ratio_min": round(min(ratios), 2),
                "ratio_max": round(max(ratios), 2),
                "rounds": {k: [round(v, 1) for v in vs] for k, vs in measured[line].items()},
            }
        done_pair["realistic"]["p95_ms"] = {
            k: round(statistics.median(v), 1) for k, v in p95[pair].items()
        }
        done_pair["ceiling"] = round(
            ours[pairs[pair][0]]["audited_floor_rps"] / done_pair["realistic"]["peer_rps"], 2
        )
        result["pairs"][pair] = done_pair
        r, h = done_pair["realistic"], done_pair["hot"]
        print(
            f"{pair:32} realistic {r['ratio']:.2f} ({r['ratio_min']:.2f} to "
            f"{r['ratio_max']:.2f}; Tillit {r['tillit_rps']} peer {r['peer_rps']} req/s)  "
            f"one URL {h['ratio']:.2f}  ceiling {done_pair['ceiling']}",
            flush=True,
        )
    return result


if __name__ == "__main__":
    main()
