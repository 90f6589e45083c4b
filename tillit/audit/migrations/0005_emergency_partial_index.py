# The emergency index holds only the rows that have one: nearly every row of the access log
# has none, and each insert paid for an index entry all the same. The partial index is built
# first (without stopping writes on PostgreSQL), then the full one is dropped.

import django.db.models.deletion
from django.db import migrations, models

from tillit.lib.migrations import AddIndexOnline, DropFieldIndex


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run in a transaction

    dependencies = [
        ("audit", "0004_redundant_indexes"),
        ("clients", "0007_redundant_indexes"),
    ]

    operations = [
        AddIndexOnline(
            model_name="accesslog",
            index=models.Index(
                condition=models.Q(("emergency__isnull", False)),
                fields=["emergency"],
                name="access_log_emergency",
            ),
        ),
        DropFieldIndex(
            model_name="accesslog",
            name="emergency",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="log_rows",
                to="clients.emergencyaccess",
            ),
        ),
    ]
