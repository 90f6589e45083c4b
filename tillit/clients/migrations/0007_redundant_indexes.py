# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0006_alter_journalentry_kind"),
        ("org", "0006_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="journalentry",
            name="clients_jou_thread__2b278e_idx",
        ),
        DropFieldIndex(
            model_name="assignment",
            name="worker",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="assignments",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        DropFieldIndex(
            model_name="case",
            name="unit",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="cases",
                to="org.unit",
            ),
        ),
        DropFieldIndex(
            model_name="emergencyaccess",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="emergency_accesses",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        DropFieldIndex(
            model_name="journalentry",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="journal_entries",
                to="clients.case",
            ),
        ),
    ]
