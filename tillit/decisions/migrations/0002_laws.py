"""The provisions decisions rest on, as data (tillit/decisions/laws.py)."""

from django.db import migrations

from tillit.decisions import laws


def add(apps, schema_editor):
    laws.load(apps.get_model("decisions", "Law"))


def remove(apps, schema_editor):
    keys = [law[0] for law in laws.LAWS]
    apps.get_model("decisions", "Law").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("decisions", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
