"""Data from before the rules of 0004: in a migration of its own, so that on PostgreSQL
the constraints are added after the rows are changed (not in the same transaction)."""

from django.db import migrations


def name_the_methods(apps, schema_editor):
    """Rows from before these rules: an intervention of the kind "a method" gets the method
    its name names (BaM, MI, CRA: by key or name in any language); one that names none,
    and a placement with no form, become "other", keeping the words they had."""
    Intervention = apps.get_model("outcomes", "Intervention")
    Method = apps.get_model("org", "Method")
    methods = list(Method.objects.all())
    for intervention in Intervention.objects.filter(kind="method", method__isnull=True):
        said = intervention.name.casefold()
        found = next(
            (
                m
                for m in methods
                if m.key.casefold() == said
                or said in {n.casefold() for n in (m.name, m.name_sv, m.name_nb) if n}
                or f"({m.key.casefold()})" in said
            ),
            None,
        )
        if found is None:
            intervention.kind = "other"
        intervention.method = found
        intervention.save(update_fields=["kind", "method"])
    Intervention.objects.filter(kind="placement", placement_form="").update(kind="other")


class Migration(migrations.Migration):
    dependencies = [("outcomes", "0002_providers_decisions_placements")]

    operations = [migrations.RunPython(name_the_methods, migrations.RunPython.noop)]
