"""The peer: django-helpdesk 2.6.x in its own virtualenv under bench/peers/ (git-ignored),
on the same PostgreSQL, seeded with one ticket per client and ten follow-ups each."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench.server import PSQL, ensure_free, ensure_pg_database, sh

BENCH = Path(__file__).resolve().parent
VENV = BENCH / "peers" / "helpdesk"
PORT = 8767  # not 8766: bench/mixed.py serves on it
BASE = f"http://127.0.0.1:{PORT}"
FOLLOWUPS_PER_TICKET = 10
COMMENT = "Kort samtal."  # the follow-ups the benchmark adds (forget_followups)


def _run(*args: str, env: dict) -> str:
    done = subprocess.run(args, env=env, cwd=BENCH, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def prepare(scale: str, tickets: int, base_env: dict) -> tuple[dict, dict]:
    """Install, migrate and seed the peer; return its environment and what to request."""
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
        subprocess.run(
            [
                str(python),
                "-m",
                "pip",
                "install",
                "-q",
                "-r",
                str(BENCH / "peer_helpdesk" / "requirements.txt"),
            ],
            check=True,
        )
    name = f"helpdesk_bench_{scale}"
    env = {
        **base_env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{name}",
        "DJANGO_SETTINGS_MODULE": "peer_helpdesk.settings",
        "PYTHONPATH": str(BENCH),
    }
    ensure_pg_database(name)
    _run(str(VENV / "bin" / "django-admin"), "migrate", "-v0", env=env)
    _run(
        str(python),
        "peer_helpdesk/seed.py",
        str(tickets),
        str(tickets * FOLLOWUPS_PER_TICKET),
        env=env,
    )
    # As for Tillit's own database (bench/run.py, top_up): freshly seeded tables have no
    # statistics until autovacuum comes round, and the planner guesses badly without them.
    sh(*PSQL, "-d", name, "-qc", "ANALYZE")
    session, ticket, queue, status, other = _run(
        str(python), "peer_helpdesk/seed.py", "session", env=env
    ).split()
    query = base64.b64encode(
        json.dumps(
            {
                "filtering": {"status__in": [1, 2]},
                "sorting": "created",
                "search_string": "",
                "sortreverse": False,
            }
        ).encode()
    ).decode()
    return env, {
        "session": session,
        "ticket": ticket,
        "queue": queue,
        "status": status,
        "list": "/tickets/",
        "json": f"/datatables_ticket_list/{query}?draw=1&start=0&length=25",
        "detail": f"/tickets/{ticket}/",
        "update": f"/tickets/{other}/update/",
    }


def users(env: dict, workers: list) -> list[dict]:
    """The peer's side of realistic traffic (bench/peer_helpdesk/traffic.py): a user for
    each of Tillit's `workers` (bench/traffic.py, Worker), with as many tickets as the
    worker has clients and as many follow-ups as the worker has open cases."""
    wanted = json.dumps([[len(w.persons), len(w.open_cases)] for w in workers])
    done = subprocess.run(
        [str(VENV / "bin" / "python"), "peer_helpdesk/traffic.py"],
        input=wanted,
        env=env,
        cwd=BENCH,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"the peer's traffic failed:\n{done.stderr}")
    return json.loads(done.stdout)


def forget_followups(scale: str) -> None:
    """Delete the follow-ups a write load added, as bench/traffic.py's forget_writes does
    Tillit's drafts."""
    sh(
        *PSQL, "-d", f"helpdesk_bench_{scale}", "-qc",
        "DELETE FROM helpdesk_ticketchange WHERE followup_id IN (SELECT id FROM "
        f"helpdesk_followup WHERE comment = '{COMMENT}'); DELETE FROM "
        f"helpdesk_followup WHERE comment = '{COMMENT}'",
    )  # fmt: skip


def start(env: dict, workers: int) -> subprocess.Popen:
    ensure_free(PORT)
    proc = subprocess.Popen(
        [
            str(VENV / "bin" / "gunicorn"),
            "django.core.wsgi:get_wsgi_application()",
            "-b",
            f"127.0.0.1:{PORT}",
            "-w",
            str(workers),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=BENCH,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            urllib.request.urlopen(f"{BASE}/tickets/")
            return proc
        except urllib.error.HTTPError:
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("the peer's gunicorn did not start")
