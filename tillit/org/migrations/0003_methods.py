from django.db import migrations

KEYS = {"bam", "mi", "cra", "fgc"}


def load(apps, schema_editor):
    from tillit.org import methods

    methods.load(apps.get_model("org", "Method"), KEYS)


def unload(apps, schema_editor):
    apps.get_model("org", "Method").objects.filter(key__in=KEYS).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_method_supervision_training")]

    operations = [migrations.RunPython(load, unload)]
