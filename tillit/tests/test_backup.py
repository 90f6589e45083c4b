"""The restore drill on the engine the suite runs on: the demo municipality, backed up and
restored into a fresh database, is the same table by table, row by row (the journal and
the audit log among them), and `audit_verify` holds on the copy if it exists."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from tillit.lib import backup
from tillit.restore_drill import visit_demo


def _url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_backed_up_and_restored_is_the_same(tmp_path: Path):
    call_command("seed_demo", stdout=io.StringIO())
    visit_demo()
    live = _url()
    if connection.vendor == "sqlite":
        if not Path(connection.settings_dict["NAME"]).exists():
            pytest.skip("an in-memory test database has no file to back up")
        backup.sqlite_backup(connection.settings_dict["NAME"], tmp_path / "backup.sqlite3")
        backup.sqlite_backup(tmp_path / "backup.sqlite3", tmp_path / "restored.sqlite3")
        restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        assert backup.compare(live, restored) == []
        assert backup.audit_verify(restored) in (True, None)
    else:
        if not shutil.which("pg_dump"):
            pytest.fail("pg_dump is needed for the PostgreSQL restore drill")
        restored = backup.with_database(live, f"{connection.settings_dict['NAME']}_restored")
        backup.pg_drop(restored)
        backup.pg_backup(live, tmp_path / "backup.dump")
        backup.pg_create(restored)
        try:
            backup.pg_restore(tmp_path / "backup.dump", restored)
            assert backup.compare(live, restored) == []
            assert backup.audit_verify(restored) in (True, None)
        finally:
            backup.pg_drop(restored)
    counts = backup.digest(live)
    assert counts[backup.JOURNAL][0] > 1000
    assert counts["audit_accesslog"][0] > 10


def test_compare_notices_a_changed_row(tmp_path: Path):
    import sqlite3

    for name, text in (("a", "signed"), ("b", "changed")):
        with sqlite3.connect(tmp_path / f"{name}.sqlite3") as db:
            db.execute("CREATE TABLE clients_journalentry (id integer primary key, text text)")
            db.execute("INSERT INTO clients_journalentry VALUES (1, ?)", (text,))
    problems = backup.compare(
        f"sqlite:///{tmp_path / 'a.sqlite3'}", f"sqlite:///{tmp_path / 'b.sqlite3'}"
    )
    assert problems == ["clients_journalentry: 1 rows before, 1 after, different content"]
