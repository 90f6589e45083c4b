# Indexes that another index led by the same column made redundant (tillit/tests/test_indexes.py).

import django.db.models.deletion
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0007_redundant_indexes"),
        ("feedback", "0002_load_instruments"),
    ]

    operations = [
        DropFieldIndex(
            model_name="alert",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="alerts",
                to="clients.case",
            ),
        ),
        DropFieldIndex(
            model_name="answer",
            name="response",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="answers",
                to="feedback.response",
            ),
        ),
        DropFieldIndex(
            model_name="item",
            name="instrument",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="feedback.instrument",
            ),
        ),
        DropFieldIndex(
            model_name="response",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feedback_responses",
                to="clients.case",
            ),
        ),
        DropFieldIndex(
            model_name="response",
            name="entry",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="feedback_responses",
                to="clients.journalentry",
            ),
        ),
        DropFieldIndex(
            model_name="switchedoffitem",
            name="case",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="clients.case",
            ),
        ),
    ]
