"""What both benchmarks stand on (bench/run.py, bench/mixed.py): shell commands, a bench
database's environment, Django in this process, a signed-in session, and the gunicorn
that serves Tillit on a loopback port."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PG = "postgres://postgres@127.0.0.1:5432"
PSQL = ("psql", "-h", "127.0.0.1", "-U", "postgres")


def sh(*args: str, env: dict | None = None, check: bool = True) -> str:
    done = subprocess.run(
        args, env={**os.environ, **(env or {})}, capture_output=True, text=True, check=False
    )
    if check and done.returncode:
        sys.exit(f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def ensure_pg_database(name: str) -> None:
    """Create the PostgreSQL database `name` at 127.0.0.1 unless it exists."""
    exists = sh(*PSQL, "-Atc", f"select 1 from pg_database where datname = '{name}'")
    if not exists.strip():
        sh("createdb", "-h", "127.0.0.1", "-U", "postgres", name)


def bench_env(database_url: str, **extra: str) -> dict:
    """The environment of Tillit served for a benchmark on `database_url`."""
    return {
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "TILLIT_DEBUG": "0",
        "TILLIT_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        **extra,
    }


def setup_django(env: dict):
    os.environ.update(env)
    import django

    django.setup()


def session_for(user) -> tuple[str, str]:
    """A signed-in session's cookie for `user`, and its CSRF token."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, load_backend

    # The backend that reads the user back, as Django's test client chooses it: the
    # first one, axes's, only guards the login.
    backend = next(
        path for path in settings.AUTHENTICATION_BACKENDS if hasattr(load_backend(path), "get_user")
    )
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = backend
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    csrf = "b" * 32
    return f"sessionid={store.session_key}; csrftoken={csrf}; django_language=sv", csrf


def ensure_free(port: int) -> None:
    """Refuse to start where something already listens: the benchmark would measure it
    (bench/mixed.py's server once took the peer's port, and its 404s were counted)."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"something already listens on 127.0.0.1:{port}: stop it first")


def start_gunicorn(port: int, workers: int, threads: int, env: dict) -> subprocess.Popen:
    """Tillit (bench.wsgi) under gunicorn on 127.0.0.1:`port`, once it answers."""
    ensure_free(port)
    proc = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "bench.wsgi",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            str(workers),
            "--threads",  # 1: gunicorn's sync worker; more: its gthread worker
            str(threads),
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
    for _ in range(150):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/floor/?size=10", timeout=5)
            if proc.poll() is None:
                return proc
            break
        except OSError:
            time.sleep(0.2)
    proc.kill()
    sys.exit("gunicorn did not start: " + (proc.stderr.read() if proc.stderr else ""))


# -- the host, beside the run -------------------------------------------------------


def cpu_times() -> list[int]:
    """The host's CPU time so far (/proc/stat): user, nice, system, idle, iowait, irq,
    softirq, steal."""
    return [int(v) for v in Path("/proc/stat").read_text().split("\n")[0].split()[1:9]]


def host_noise(before: list[int], load_before: float) -> dict:
    """How busy the host was over the run, beside the benchmark: the load average at its
    start and end (other engineers' test suites share the 2 cores) and the share of CPU
    time the hypervisor stole."""
    spent = [b - a for a, b in zip(before, cpu_times(), strict=True)]
    return {
        "load_average_start": round(load_before, 2),
        "load_average_end": round(os.getloadavg()[0], 2),
        "steal_percent": round(100 * spent[7] / max(1, sum(spent)), 1),
        "idle_percent": round(100 * (spent[3] + spent[4]) / max(1, sum(spent)), 1),
    }


def worker_peak_kib(master: int) -> int:
    children = sh("pgrep", "-P", str(master), check=False).split()
    peaks = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        peak = re.search(r"VmHWM:\s+(\d+)", status)
        if peak:  # a worker that has exited but not been reaped has no such line
            peaks.append(int(peak.group(1)))
    return max(peaks, default=0)
