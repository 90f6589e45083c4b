"""Ship Tillit's own default questionnaire (questionnaires/v1.json) with the schema."""

from django.db import migrations


def load(apps, schema_editor):
    from tillit.survey.services import questionnaires_load

    questionnaires_load(
        models=(apps.get_model("survey", "Questionnaire"), apps.get_model("survey", "Question"))
    )


class Migration(migrations.Migration):
    dependencies = [("survey", "0002_without_rowid")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
