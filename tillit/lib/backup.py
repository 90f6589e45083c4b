"""Back up and restore Tillit's database, and tell whether two databases hold the same.

The restore drill that uses these is `tillit/restore_drill.py` (make restore-drill).

SQLite is copied with its online backup API (the sqlite3 module's `Connection.backup`),
which gives a consistent copy while Tillit runs, the commits still in the WAL file
included; copying the file does not. PostgreSQL is copied with pg_dump's custom format and
restored with pg_restore. docs/operations.md says how to do both by hand.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[2]

# Tables whose every row is compared by name in the drill's report.
JOURNAL = "clients_journalentry"
AUDIT = ("audit_accesslog", "audit_listed")


def sqlite_backup(source: str | Path | sqlite3.Connection, target: str | Path) -> None:
    """Copy a live SQLite database into `target` with the online backup API."""
    with closing(sqlite3.connect(target)) as copy:
        if isinstance(source, sqlite3.Connection):
            source.backup(copy)
        else:
            with closing(sqlite3.connect(source)) as live:
                live.backup(copy)


def pg_backup(url: str, path: str | Path) -> None:
    """pg_dump in the custom format (compressed; pg_restore picks what it needs)."""
    subprocess.run(["pg_dump", "--format=custom", "--file", str(path), "--dbname", url], check=True)


def pg_restore(path: str | Path, url: str) -> None:
    """Restore a pg_dump into the empty database `url`."""
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", url, str(path)], check=True
    )


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True) as admin:
        admin.execute(sql)


def pg_create(url: str) -> None:
    _pg_admin(url, f'CREATE DATABASE "{urlsplit(url).path.lstrip("/")}"')


def pg_drop(url: str) -> None:
    _pg_admin(url, f'DROP DATABASE IF EXISTS "{urlsplit(url).path.lstrip("/")}"')


def _connect(url: str):
    if url.startswith("sqlite:///"):
        return sqlite3.connect(url.removeprefix("sqlite:///"))
    import psycopg

    return psycopg.connect(url)


def digest(url: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of all its rows, in order."""
    found: dict[str, tuple[int, str]] = {}
    with closing(_connect(url)) as db:
        cursor = db.cursor()
        if url.startswith("sqlite:///"):
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        else:
            cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = sorted(row[0] for row in cursor.fetchall())
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')
            columns = len(cursor.description or ())
            order = ", ".join(str(n) for n in range(1, columns + 1))
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY {order}')
            rows = 0
            sha = hashlib.sha256()
            for row in cursor:
                rows += 1
                sha.update(repr(tuple(row)).encode())
            found[table] = (rows, sha.hexdigest())
    return found


def compare(original: str, restored: str) -> list[str]:
    """What differs between two databases, table by table (empty if nothing)."""
    before, after = digest(original), digest(restored)
    problems = [f"{table}: missing after restore" for table in before.keys() - after.keys()]
    problems += [f"{table}: not in the original" for table in after.keys() - before.keys()]
    for table in sorted(before.keys() & after.keys()):
        if before[table] != after[table]:
            problems.append(
                f"{table}: {before[table][0]} rows before, {after[table][0]} after, "
                f"{'same' if before[table][1] == after[table][1] else 'different'} content"
            )
    if not problems:
        tables = len(before)
        entries = before.get(JOURNAL, (0, ""))[0]
        audit = sum(before.get(table, (0, ""))[0] for table in AUDIT)
        print(f"  identical: {tables} tables, {entries} journal entries, {audit} audit rows")
    return problems


def audit_verify(url: str) -> bool | None:
    """Run `manage.py audit_verify` on `url` if the command exists (None if it does not)."""
    env = {**os.environ, "DATABASE_URL": url}
    commands = manage(["help", "--commands"], env, capture=True)
    if "audit_verify" not in commands.split():
        return None
    return (
        subprocess.run([sys.executable, "manage.py", "audit_verify"], cwd=ROOT, env=env).returncode
        == 0
    )


def manage(args: list[str], env: dict, capture: bool = False) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=capture,
        text=True,
    )
    return done.stdout or ""
