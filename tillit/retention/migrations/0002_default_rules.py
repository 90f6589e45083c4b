"""The default retention rules (tillit/retention/defaults.py), Sweden's or Norway's in force
by the time zone the installation runs in; an administrator changes them in the admin."""

from django.conf import settings
from django.db import migrations

from tillit.retention.defaults import RULES, country_in_force


def forwards(apps, schema_editor):
    rule = apps.get_model("retention", "RetentionRule")
    country = country_in_force(settings.TIME_ZONE)
    for values in RULES:
        rule.objects.update_or_create(
            key=values["key"],
            defaults={**values, "active": values["country"] == country},
        )


def backwards(apps, schema_editor):
    apps.get_model("retention", "RetentionRule").objects.filter(
        key__in=[values["key"] for values in RULES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("retention", "0001_rules")]
    operations = [migrations.RunPython(forwards, backwards)]
