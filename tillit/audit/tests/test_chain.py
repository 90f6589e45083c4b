"""The access log is append-only in the database and tamper-evident (tillit/audit/chain.py,
migration audit/0008), on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import importlib
from contextlib import contextmanager

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from tillit.audit import chain, removal
from tillit.audit.models import AccessLog, Listed, Removal, RemovedRow, Seal

triggers = importlib.import_module("tillit.audit.migrations.0008_append_only")
DAY = datetime.datetime(2026, 3, 2, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def row(user, *, at=DAY, person=None, **kw) -> AccessLog:
    return AccessLog.objects.create(
        user=user, at=at, person=person, action="read", path="/clients/1/", **kw
    )


@pytest.fixture
def log(worker, person, case):
    """Rows over three days, one listing clients, and one day sealed after the other two."""
    rows = [
        row(worker, person=person, case=case, role="assigned", detail={"note": "Åsa ✓", "n": 2}),
        row(worker, at=DAY + datetime.timedelta(hours=1), detail={"page": "caseload"}),
        row(worker, at=DAY + datetime.timedelta(days=1), person=person),
        row(worker, at=DAY + datetime.timedelta(days=2), person=person),
    ]
    Listed.objects.create(log=rows[1], person=person)
    return rows


def refused(sql: str, params: list | None = None) -> None:
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, params or [])


@contextmanager
def behind_the_back(table: str):
    """Get past the triggers of `table` inside the test's transaction, as a database
    superuser could, and put them back."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")  # as a superuser
        else:
            names = [n for n in triggers.SQLITE_NAMES if n.startswith(table)]
            for name in names:
                cursor.execute(f"DROP TRIGGER {name}")
        yield cursor
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            for sql in triggers.SQLITE:
                if sql.split()[2] in names:
                    cursor.execute(sql)


def verify_fails(match: str) -> None:
    with pytest.raises(CommandError, match=match) as error:
        call_command("audit_verify")
    assert error.value.returncode == 1


@pytest.mark.django_db
def test_the_database_refuses_to_update_or_delete_the_log(log):
    pk = log[1].pk
    refused("UPDATE audit_accesslog SET path = 'x' WHERE id = %s", [pk])
    refused("DELETE FROM audit_accesslog WHERE id = %s", [pk])
    refused("UPDATE audit_listed SET person_id = person_id WHERE log_id = %s", [pk])
    refused("DELETE FROM audit_listed WHERE log_id = %s", [pk])
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=pk).update(action="update")
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(pk=pk).delete()
    assert AccessLog.objects.get(pk=pk).path == "/clients/1/"
    assert Listed.objects.filter(log_id=pk).count() == 1
    chain.seal(DAY.date())
    refused("UPDATE audit_seal SET rows = 0")
    refused("DELETE FROM audit_seal")


@pytest.mark.django_db
def test_every_trigger_is_in_place():
    """A migration that remakes the table on SQLite would drop them silently."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE 'audit%%'")
            expected = set(triggers.POSTGRES_TRIGGERS)
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = set(triggers.SQLITE_NAMES)
        assert expected <= {name for (name,) in cursor.fetchall()}


@pytest.mark.django_db
def test_a_row_reads_back_to_its_hash(log):
    for written in log:
        read = AccessLog.objects.get(pk=written.pk)
        assert read.hash == written.hash == chain.content_hash(read)


@pytest.mark.django_db
def test_a_clean_log_verifies(log, capsys):
    assert len(chain.seal(DAY.date() + datetime.timedelta(days=1))) == 2
    call_command("audit_verify")
    out = capsys.readouterr().out
    assert out.startswith("OK: 4 rows, 2 sealed days") and chain.head() in out
    # Sealing again seals only what is new.
    assert [s.day for s in chain.seal(DAY.date() + datetime.timedelta(days=2))] == [
        DAY.date() + datetime.timedelta(days=2)
    ]
    call_command("audit_verify")


@pytest.mark.django_db
def test_a_changed_row_breaks_its_hash(log):
    with behind_the_back("audit_accesslog") as cursor:
        cursor.execute("UPDATE audit_accesslog SET action = 'export' WHERE id = %s", [log[3].pk])
    verify_fails(f"content does not match its hash \\(row {log[3].pk}")


@pytest.mark.django_db
def test_a_sealed_row_changed_and_rehashed_breaks_its_day(log):
    chain.seal(DAY.date())
    changed = AccessLog.objects.get(pk=log[0].pk)
    changed.path = "/elsewhere/"
    with behind_the_back("audit_accesslog") as cursor:
        cursor.execute(
            "UPDATE audit_accesslog SET path = %s, hash = %s WHERE id = %s",
            [changed.path, chain.content_hash(changed), changed.pk],
        )
    verify_fails(f"sealed day's rows were changed \\({DAY.date()}")


@pytest.mark.django_db
def test_a_removed_row_or_listed_client_breaks_its_day(log):
    chain.seal(DAY.date())
    with behind_the_back("audit_listed") as cursor:
        cursor.execute("DELETE FROM audit_listed WHERE log_id = %s", [log[1].pk])
    verify_fails("sealed day's rows were changed")


@pytest.mark.django_db
def test_a_changed_seal_or_a_row_without_hash_is_found(log, worker):
    chain.seal(DAY.date() + datetime.timedelta(days=1))
    with behind_the_back("audit_seal") as cursor:
        cursor.execute("UPDATE audit_seal SET prev = %s", ["1" * 64])
    verify_fails("seal does not follow")


@pytest.mark.django_db
def test_a_row_slipped_in_without_a_hash_is_found(log, worker):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog (at, user_id, role, action, path, detail, hash) "
            "VALUES (%s, %s, '', 'read', '/', '{}', '')",
            [DAY + datetime.timedelta(days=3), worker.pk],
        )
    verify_fails("written without a hash")


@pytest.mark.django_db
def test_retention_removes_sealed_rows_by_its_one_path_and_the_chain_holds(log):
    chain.seal(DAY.date() + datetime.timedelta(days=1))
    with pytest.raises(removal.NotSealed):
        removal.remove([log[3].pk], reason="too early")
    gone = removal.remove([log[0].pk, log[1].pk], reason="Retention: five years")
    assert gone.rows == 2 and not gone.open
    assert not AccessLog.objects.filter(pk__in=[log[0].pk, log[1].pk]).exists()
    assert not Listed.objects.filter(log_id=log[1].pk).exists()
    assert RemovedRow.objects.filter(removal=gone).count() == 2
    call_command("audit_verify")
    # The removal stays as it was, and its tombstones too.
    refused("UPDATE audit_removal SET open = %s", [True])
    refused("DELETE FROM audit_removal")
    refused("DELETE FROM audit_removedrow")
    assert Removal.objects.get().rows == 2


@pytest.mark.django_db
def test_a_day_is_sealed_only_once_it_is_over(worker):
    now = datetime.datetime.now(datetime.UTC)
    row(worker, at=now)
    assert chain.seal(now.date()) == []
    assert not Seal.objects.exists()
