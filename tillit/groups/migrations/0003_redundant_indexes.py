# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0002_attendance_entry"),
    ]

    operations = [
        DropFieldIndex(
            model_name="attendance",
            name="session",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="attendance",
                to="groups.session",
            ),
        ),
    ]
