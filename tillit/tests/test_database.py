"""On PostgreSQL a connection prepares the queries it repeats (tillit/settings.py)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.org.models import Session


def database_options(**env: str) -> str:
    """DATABASES' OPTIONS as tillit/settings.py reads them from this environment."""
    code = "from tillit import settings; print(settings.DATABASES['default'].get('OPTIONS') or {})"
    names = ("DATABASE_URL", "TILLIT_DB_PREPARED_STATEMENTS")
    clean = {k: v for k, v in os.environ.items() if k not in names}
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_postgresql_binds_on_the_server_and_prepares_unless_told_not_to():
    url = "postgres://tillit@db.example:5432/tillit"
    assert database_options(DATABASE_URL=url) == (
        "{'server_side_binding': True, 'prepare_threshold': 5}"
    )
    assert database_options(DATABASE_URL=url, TILLIT_DB_PREPARED_STATEMENTS="0") == "{}"


def test_sqlite_is_set_up_for_several_writers():
    """WAL, a busy timeout, and BEGIN IMMEDIATE (tillit/settings.py)."""
    assert database_options(DATABASE_URL="sqlite:////tmp/tillit.sqlite3") == (
        "{'init_command': 'PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL', "
        "'timeout': 20, 'transaction_mode': 'IMMEDIATE'}"
    )


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's journal and locking")
@pytest.mark.django_db
def test_a_sqlite_connection_is_in_wal_mode_and_waits_for_the_writer():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"  # the test database is a file (conftest.py)
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20_000
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    assert connection.transaction_mode == "IMMEDIATE"


def test_options_from_the_database_url_are_kept():
    url = "postgres://tillit@db.example:5432/tillit?sslmode=require"
    assert database_options(DATABASE_URL=url) == (
        "{'sslmode': 'require', 'server_side_binding': True, 'prepare_threshold': 5}"
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_page_asked_again_runs_the_session_read_and_audit_insert_prepared(worker, case):
    client = client_for(worker)
    page = reverse("clients:person", args=[case.person_id])
    for _ in range(6):  # psycopg prepares a statement on its sixth run (prepare_threshold 5)
        assert client.get(page).status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    session_read = f'FROM "{Session._meta.db_table}"'
    audit_insert = f'INSERT INTO "{AccessLog._meta.db_table}"'
    assert any(session_read in statement for statement in prepared), prepared
    assert any(audit_insert in statement for statement in prepared), prepared
