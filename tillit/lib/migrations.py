"""Migration operations Django's own do at too high a price on a large table."""

import hashlib
from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class DropFieldIndex(migrations.AlterField):
    """Turn a field's `db_index` off (the field is otherwise unchanged) by dropping its index.

    Django's AlterField drops a foreign key's constraint around any change to the field and
    adds it back: PostgreSQL then checks every row of the table while it holds a lock that
    stops writes (on the access log, which every request writes to, that would stop the
    service for as long as the check takes), and SQLite copies the table. Only the index
    needs to go. The state changes as AlterField changes it.
    """

    def database_forwards(
        self, app_label: str, schema_editor, from_state: Any, to_state: Any
    ) -> None:
        if self.field.db_index:  # type: ignore[attr-defined]
            raise ValueError("DropFieldIndex only turns db_index off")
        model = from_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        connection = schema_editor.connection
        table, column = model._meta.db_table, model._meta.get_field(self.name).column
        declared = {index.name for index in model._meta.indexes}
        with connection.cursor() as cursor:
            constraints = connection.introspection.get_constraints(cursor, table)
        for name, info in constraints.items():
            plain = info["index"] and not (info["unique"] or info["primary_key"])
            if plain and info["columns"] == [column] and name not in declared:
                schema_editor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")

    def database_backwards(
        self, app_label: str, schema_editor, from_state: Any, to_state: Any
    ) -> None:
        # Back (a rollback): the plain index again, under a name of its own, through the
        # schema editor's public add_index; the foreign key is left alone both ways.
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        column = model._meta.get_field(self.name).column
        digest = hashlib.sha256(f"{model._meta.db_table}.{column}".encode()).hexdigest()[:8]
        name = f"{column[:19]}_{digest}_ix"
        schema_editor.add_index(model, models.Index(fields=[self.name], name=name))

    def describe(self) -> str:
        return f"Drop the index of field {self.name} on {self.model_name}"


class AddIndexOnline(AddIndexConcurrently):
    """Add an index without stopping writes to the table while it is built: CREATE INDEX
    CONCURRENTLY on PostgreSQL (the migration sets `atomic = False`), a plain AddIndex on
    SQLite, which has no concurrent build. For the tables every request writes to."""

    @staticmethod
    def _operation(schema_editor) -> type[migrations.AddIndex]:
        online = schema_editor.connection.vendor == "postgresql"
        return AddIndexConcurrently if online else migrations.AddIndex

    def database_forwards(
        self, app_label: str, schema_editor, from_state: Any, to_state: Any
    ) -> None:
        operation = self._operation(schema_editor)
        operation.database_forwards(self, app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self, app_label: str, schema_editor, from_state: Any, to_state: Any
    ) -> None:
        operation = self._operation(schema_editor)
        operation.database_backwards(self, app_label, schema_editor, from_state, to_state)


def by_engine(
    *,
    postgres: list[str],
    sqlite: list[str],
    postgres_reverse: list[str],
    sqlite_reverse: list[str],
) -> migrations.RunPython:
    """SQL that must be written once for each engine (a trigger), run as one operation:
    the statements of the engine the migration runs on, and their reverse."""

    def run(forwards: bool):
        def apply(apps, schema_editor) -> None:
            on_postgres = schema_editor.connection.vendor == "postgresql"
            if forwards:
                statements = postgres if on_postgres else sqlite
            else:
                statements = postgres_reverse if on_postgres else sqlite_reverse
            for sql in statements:
                schema_editor.execute(sql)

        return apply

    return migrations.RunPython(run(True), run(False))
