"""The restore drill (make restore-drill): a fresh demo municipality, with access log rows
written by real requests, backed up, restored into a fresh database and compared table by
table and row by row, then `audit_verify` on the copy; on SQLite, and on PostgreSQL too
when DATABASE_URL names one. docs/operations.md says what it proves.

    python -m tillit.restore_drill

It sits above the apps, as settings and urls do: it drives the whole project (migrate,
the demo, pages), while tillit.lib.backup, which it uses, knows no app.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tillit.lib.backup import (
    ROOT,
    audit_verify,
    compare,
    manage,
    pg_backup,
    pg_create,
    pg_drop,
    pg_restore,
    sqlite_backup,
    with_database,
)


def visit_demo() -> None:
    """A worker and a team leader open their caseload and the clients' pages, so the
    access log has rows (the demo seed writes none) written the way requests write them.
    A page that fails is on record all the same (its audit row is written first)."""
    from django.test import Client

    from tillit.clients.models import Person
    from tillit.org.models import User

    client = Client(raise_request_exception=False)
    for username in ("anna", "lena"):
        client.force_login(User.objects.get(username=username))
        client.get("/caseload/")
        for pk in Person.objects.order_by("pk").values_list("pk", flat=True)[:15]:
            client.get(f"/clients/{pk}/")


VISIT = "import django; django.setup(); from tillit.restore_drill import visit_demo; visit_demo()"


def _demo(url: str) -> None:
    env = {**os.environ, "DATABASE_URL": url}
    manage(["migrate", "--noinput", "-v0"], env)
    manage(["seed_demo"], env)
    visits = {
        **env,
        "DJANGO_SETTINGS_MODULE": "tillit.settings",
        "TILLIT_ALLOWED_HOSTS": "testserver",
    }
    # Quiet: the pages refused to them are logged as such, which is not news here.
    done = subprocess.run([sys.executable, "-c", VISIT], cwd=ROOT, env=visits, capture_output=True)
    if done.returncode:
        sys.stderr.write(done.stderr.decode())
        raise subprocess.CalledProcessError(done.returncode, VISIT)


def drill_sqlite(workdir: Path) -> list[str]:
    print("SQLite: a demo database, backed up online, restored into a fresh file")
    live = f"sqlite:///{workdir / 'demo.sqlite3'}"
    _demo(live)
    sqlite_backup(workdir / "demo.sqlite3", workdir / "backup.sqlite3")
    sqlite_backup(workdir / "backup.sqlite3", workdir / "restored.sqlite3")
    restored = f"sqlite:///{workdir / 'restored.sqlite3'}"
    problems = compare(live, restored)
    return problems + _verified(restored)


def drill_postgres(url: str, workdir: Path) -> list[str]:
    print("PostgreSQL: a demo database, pg_dump, pg_restore into a fresh database")
    live = with_database(url, f"tillit_drill_{os.getpid()}")
    restored = with_database(url, f"tillit_drill_{os.getpid()}_restored")
    try:
        pg_create(live)
        _demo(live)
        pg_backup(live, workdir / "backup.dump")
        pg_create(restored)
        pg_restore(workdir / "backup.dump", restored)
        return compare(live, restored) + _verified(restored)
    finally:
        pg_drop(restored)
        pg_drop(live)


def _verified(url: str) -> list[str]:
    verified = audit_verify(url)
    if verified is None:
        print("  audit_verify: not there yet (the audit chain is compared row by row above)")
        return []
    print(f"  audit_verify: {'the chain holds' if verified else 'BROKEN'}")
    return [] if verified else ["audit_verify failed on the restored database"]


def main() -> int:
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="tillit-drill-") as tmp:
        problems += drill_sqlite(Path(tmp))
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            problems += drill_postgres(url, Path(tmp))
    for problem in problems:
        print(f"  DIFFERS: {problem}")
    print("restore drill:", "FAILED" if problems else "passed")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
