# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0005_session"),
    ]

    operations = [
        DropFieldIndex(
            model_name="membership",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="memberships",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
