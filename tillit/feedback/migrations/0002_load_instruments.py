"""Ship Tillit's own open instruments (instruments/v1.json) with the schema."""

from django.db import migrations


def load(apps, schema_editor):
    from tillit.feedback.services import instruments_load

    instruments_load(models=(apps.get_model("feedback", "Instrument"),
                             apps.get_model("feedback", "Item")))


class Migration(migrations.Migration):
    dependencies = [("feedback", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
