# One session per group and day (issue 22: a double click or two workers recording the same
# session made two); the index of the group's key goes, as the constraint leads with it.
# Apart from 0004's merge: PostgreSQL alters no table with row changes pending checks.

import django.db.models.deletion
from django.db import migrations, models

from tillit.lib.migrations import DropFieldIndex


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0004_merge_sessions_of_a_day"),
    ]

    operations = [
        DropFieldIndex(
            model_name="session",
            name="group",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="sessions",
                to="groups.group",
            ),
        ),
        migrations.AddConstraint(
            model_name="session",
            constraint=models.UniqueConstraint(
                fields=("group", "held_on"), name="one_session_per_day"
            ),
        ),
    ]
