"""The database itself refuses to update a signed journal entry, so no path around the
model (a bulk update, a raw query, a future bug) can change one silently.

Deleting is refused by the model only: retention (gallring) must one day remove signed
entries that are due, explicitly and logged, and test databases are flushed with DELETE.
"""

from django.db import migrations

from tillit.lib.migrations import by_engine

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


class Migration(migrations.Migration):
    dependencies = [("clients", "0002_initial")]
    operations = [
        by_engine(
            postgres=POSTGRES,
            sqlite=SQLITE,
            postgres_reverse=POSTGRES_REVERSE,
            sqlite_reverse=SQLITE_REVERSE,
        )
    ]
