"""On SQLite, store the answers WITHOUT ROWID: a table with a UUID key still keeps a hidden
row number that grows with every insert, and so the order the answers came in. Without
it, the rows live in the order of their random keys. (PostgreSQL has no such number a
query can ask for; its rows are read in the random key's order by every view.) The
tables are empty here, so they are made again; a later migration that remakes either
table on SQLite must keep this (tests/test_anonymity.py checks it)."""

from django.db import migrations

TABLES = ("survey_answer", "survey_response")  # the answer points at the response


def without_rowid(apps, schema_editor):
    if schema_editor.connection.vendor != "sqlite":
        return
    with schema_editor.connection.cursor() as cursor:
        made = {}
        for table in TABLES:
            cursor.execute(
                "SELECT type, sql FROM sqlite_master WHERE tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            made[table] = cursor.fetchall()
        for table in TABLES:
            cursor.execute(f'DROP TABLE "{table}"')
        for table in reversed(TABLES):
            for kind, sql in made[table]:
                if kind == "table":
                    cursor.execute(sql + " WITHOUT ROWID")
            for kind, sql in made[table]:
                if kind != "table":
                    cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("survey", "0001_initial")]
    operations = [migrations.RunPython(without_rowid, migrations.RunPython.noop)]
