"""Network meetings as a method in the register, so that the meetings held in Tillit count
as its practice on the leaders' methods page (tillit/network/queries.py `practised`)."""

from django.db import migrations

KEYS = {"network"}


def load(apps, schema_editor):
    from tillit.org import methods

    methods.load(apps.get_model("org", "Method"), KEYS)


def unload(apps, schema_editor):
    apps.get_model("org", "Method").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0006_redundant_indexes")]

    operations = [migrations.RunPython(load, unload)]
