"""Journal drafts are saved against the revision they were read at, and a form sent twice
makes one entry (tillit/lib/revisions.py, tillit/lib/once.py).

On SQLite, adding a NOT NULL column rebuilds the table, and the rebuild drops its
triggers: the one that refuses to change a signed entry is made again after it."""

from django.db import migrations, models

SIGNED_NO_UPDATE = """CREATE TRIGGER IF NOT EXISTS journal_signed_no_update
    BEFORE UPDATE ON clients_journalentry WHEN OLD.status = 'signed'
    BEGIN SELECT RAISE(ABORT, 'signed journal entries cannot be changed'); END"""


def signed_stay_immutable(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(SIGNED_NO_UPDATE)


class Migration(migrations.Migration):
    dependencies = [("clients", "0010_case_removed_on")]

    operations = [
        migrations.AddField(
            model_name="journalentry",
            name="revision",
            field=models.PositiveIntegerField(db_default=1, default=1),
        ),
        migrations.AddField(
            model_name="journalentry",
            name="submission",
            field=models.UUIDField(blank=True, editable=False, null=True),
        ),
        migrations.AddConstraint(
            model_name="journalentry",
            constraint=models.UniqueConstraint(
                condition=models.Q(("submission__isnull", False)),
                fields=("submission",),
                name="journal_entry_submission_once",
            ),
        ),
        migrations.RunPython(signed_stay_immutable, migrations.RunPython.noop),
    ]
