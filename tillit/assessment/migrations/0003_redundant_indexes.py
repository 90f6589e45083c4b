# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0002_default_life_areas"),
    ]

    operations = [
        DropFieldIndex(
            model_name="areaanswer",
            name="assessment",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="assessment.assessment",
            ),
        ),
    ]
