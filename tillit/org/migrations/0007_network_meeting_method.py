"""Network meetings as a method in the register, so that the meetings held in Tillit count
as its practice on the leaders' methods page (tillit/network/queries.py `practised`)."""

from django.db import migrations

METHODS = [("network", "Network meetings", "Nätverksmöten", "Nettverksmøter")]


def load(apps, schema_editor):
    Method = apps.get_model("org", "Method")
    for key, name, name_sv, name_nb in METHODS:
        Method.objects.update_or_create(
            key=key, defaults={"name": name, "name_sv": name_sv, "name_nb": name_nb}
        )


def unload(apps, schema_editor):
    apps.get_model("org", "Method").objects.filter(key__in=[m[0] for m in METHODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0006_redundant_indexes")]

    operations = [migrations.RunPython(load, unload)]
