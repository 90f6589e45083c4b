from django.db import migrations

from tillit.assessment import areas


def add(apps, schema_editor):
    areas.load(apps.get_model("assessment", "LifeArea"))


def remove(apps, schema_editor):
    keys = [area[0] for area in areas.AREAS]
    apps.get_model("assessment", "LifeArea").objects.filter(key__in=keys).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
