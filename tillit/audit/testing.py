"""For tests only: Django flushes a test database on SQLite with DELETE, which the access
log's triggers refuse (migration audit/0008). `flush_past_triggers` lifts them for the
flush alone and puts them back as they were. PostgreSQL's flush is TRUNCATE, which row
triggers do not see."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import django.db.backends.sqlite3.base  # noqa: F401  (before its operations: a cycle)
from django.db.backends.sqlite3.operations import DatabaseOperations


@contextmanager
def flush_past_triggers() -> Iterator[None]:
    original = DatabaseOperations.execute_sql_flush

    def execute_sql_flush(self: DatabaseOperations, sql_list: list[str]) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'audit\\_%' ESCAPE '\\'"
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f'DROP TRIGGER "{name}"')
        try:
            original(self, sql_list)
        finally:
            with self.connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)

    DatabaseOperations.execute_sql_flush = execute_sql_flush  # type: ignore[assignment,method-assign]
    try:
        yield
    finally:
        DatabaseOperations.execute_sql_flush = original  # type: ignore[method-assign]
