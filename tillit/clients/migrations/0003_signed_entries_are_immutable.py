"""The database itself refuses to update a signed journal entry, so no path around the
model (a bulk update, a raw query, a future bug) can change one silently.

Deleting is refused by the model only: retention (gallring) must one day remove signed
entries that are due, explicitly and logged, and test databases are flushed with DELETE.
"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER journal_signed_no_update BEFORE UPDATE ON clients_journalentry
       WHEN OLD.status = 'signed'
       BEGIN SELECT RAISE(ABORT, 'signed journal entries cannot be changed'); END""",
]
SQLITE_REVERSE = ["DROP TRIGGER journal_signed_no_update"]
POSTGRES = [
    """CREATE FUNCTION journal_signed_immutable() RETURNS trigger AS $$
       BEGIN
         RAISE EXCEPTION 'signed journal entries cannot be changed'
           USING ERRCODE = 'integrity_constraint_violation';
       END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER journal_signed_immutable BEFORE UPDATE ON clients_journalentry
       FOR EACH ROW WHEN (OLD.status = 'signed') EXECUTE FUNCTION journal_signed_immutable()""",
]
POSTGRES_REVERSE = [
    "DROP TRIGGER journal_signed_immutable ON clients_journalentry",
    "DROP FUNCTION journal_signed_immutable()",
]


def forwards(apps, schema_editor):
    statements = POSTGRES if schema_editor.connection.vendor == "postgresql" else SQLITE
    for sql in statements:
        schema_editor.execute(sql)


def backwards(apps, schema_editor):
    statements = (
        POSTGRES_REVERSE if schema_editor.connection.vendor == "postgresql" else SQLITE_REVERSE
    )
    for sql in statements:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
