# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0003_initial"),
        ("clients", "0007_redundant_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        DropFieldIndex(
            model_name="accesslog",
            name="person",
            field=models.ForeignKey(
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="clients.person",
            ),
        ),
        DropFieldIndex(
            model_name="accesslog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
    ]
