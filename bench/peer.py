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

BENCH = Path(__file__).resolve().parent
VENV = BENCH / "peers" / "helpdesk"
PORT = 8766
BASE = f"http://127.0.0.1:{PORT}"
FOLLOWUPS_PER_TICKET = 10


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
    exists = subprocess.run(
        [
            "psql",
            "-h",
            "127.0.0.1",
            "-U",
            "postgres",
            "-Atc",
            f"select 1 from pg_database where datname = '{name}'",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if not exists.strip():
        subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", name], check=True)
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
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", name, "-qc", "ANALYZE"], check=True
    )
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


def start(env: dict, workers: int) -> subprocess.Popen:
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
