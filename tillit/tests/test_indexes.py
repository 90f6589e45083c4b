"""No index that another makes redundant: each one is written to on every insert.

A foreign key gets an index of its own (db_index) unless told otherwise. Where a composite
index or unique constraint already leads with that column, it serves every lookup the
single one would, and the single one only costs: on the access log, which every request
writes to, and on the journal. Such a foreign key says db_index=False.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from tillit.audit.models import AccessLog


def tillit_tables() -> dict[str, set[str]]:
    """Each of Tillit's tables, with the names of its partial indexes and constraints (no
    introspection tells them apart on both engines, and they serve only some rows)."""
    return {
        model._meta.db_table: {
            i.name
            for i in [*model._meta.indexes, *model._meta.constraints]
            if isinstance(i, models.Index | models.UniqueConstraint) and i.condition is not None
        }
        for model in apps.get_models()
        if model.__module__.startswith("tillit.")
    }


def indexes_of(table: str) -> dict[str, dict]:
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    return {name: c for name, c in constraints.items() if c["index"] or c["primary_key"]}


def redundant_indexes() -> list[str]:
    found = []
    for table, partial in tillit_tables().items():
        indexes = indexes_of(table)
        for name, index in indexes.items():
            if index["unique"] or index["primary_key"] or name in partial:
                continue  # a unique index is a rule, not only a way to look up
            if name.endswith("_like"):
                continue  # PostgreSQL's index for LIKE, in another operator class
            columns = index["columns"]
            for other, wider in indexes.items():
                cover = wider["columns"]
                if (
                    other != name
                    and other not in partial
                    and not other.endswith("_like")
                    and None not in cover
                    and len(cover) >= len(columns)
                    and cover[: len(columns)] == columns
                ):
                    found.append(f"{table}.{name} {columns}: {other} {cover} leads with it")
                    break
    return found


@pytest.mark.django_db
def test_no_index_is_led_by_another():
    assert tillit_tables()["clients_journalentry"] == {
        "journal_drafts",
        "journal_entry_submission_once",
    }
    assert redundant_indexes() == []


@pytest.mark.django_db
def test_the_check_finds_a_redundant_index():
    table = AccessLog._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE INDEX audit_accesslog_user_probe ON {table} (user_id)")
    try:
        assert redundant_indexes() == [
            f"{table}.audit_accesslog_user_probe ['user_id']: "
            f"audit_acces_user_id_1183ab_idx ['user_id', 'at'] leads with it"
        ]
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX audit_accesslog_user_probe")


@pytest.mark.django_db(transaction=True)
def test_an_index_is_dropped_without_touching_the_foreign_key():
    """DropFieldIndex (tillit.lib.migrations): Django's AlterField would drop the foreign
    key's constraint and add it back, which PostgreSQL checks row by row under a lock."""
    before = [("audit", "0003_initial")]
    after = [("audit", "0004_redundant_indexes")]
    table = AccessLog._meta.db_table
    MigrationExecutor(connection).migrate(before)
    try:
        columns = [c["columns"] for c in indexes_of(table).values()]
        assert ["user_id"] in columns and ["person_id"] in columns
        statements = schema_statements(after)
        assert len(statements) == 2
        assert all(s.startswith("DROP INDEX") for s in statements), statements
        columns = [c["columns"] for c in indexes_of(table).values()]
        assert ["user_id"] not in columns and ["person_id"] not in columns
    finally:
        migrate_to_latest()
    assert redundant_indexes() == []


def migrate_to_latest() -> None:
    executor = MigrationExecutor(connection)  # a new executor reads what is applied
    executor.migrate(executor.loader.graph.leaf_nodes())


def schema_statements(target: list[tuple[str, str]]) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        MigrationExecutor(connection).migrate(target)
    schema = ("ALTER", "CREATE", "DROP", "SET CONSTRAINTS")
    return [q["sql"] for q in captured if q["sql"].startswith(schema)]


@pytest.mark.django_db(transaction=True)
def test_the_emergency_index_holds_only_emergency_rows():
    """Nearly every access log row has no emergency access: the index on it is partial,
    built without stopping writes on PostgreSQL, and the full one dropped after."""
    before = [("audit", "0004_redundant_indexes")]
    after = [("audit", "0005_emergency_partial_index")]
    table = AccessLog._meta.db_table
    MigrationExecutor(connection).migrate(before)
    try:
        assert ["emergency_id"] in [c["columns"] for c in indexes_of(table).values()]
        create, drop = schema_statements(after)
        concurrently = " CONCURRENTLY" if connection.vendor == "postgresql" else ""
        assert create.startswith(f'CREATE INDEX{concurrently} "access_log_emergency"'), create
        assert create.endswith('WHERE "emergency_id" IS NOT NULL'), create
        assert drop.startswith("DROP INDEX"), drop
        emergency = [n for n, c in indexes_of(table).items() if c["columns"] == ["emergency_id"]]
        assert emergency == ["access_log_emergency"]
        # And back: the full index again, the partial one gone.
        create, drop = schema_statements(before)
        assert create.startswith("CREATE INDEX") and "WHERE" not in create, create
        assert drop.startswith(f"DROP INDEX{concurrently}"), drop
        assert drop.endswith('"access_log_emergency"'), drop
    finally:
        migrate_to_latest()
