from django.db import migrations

METHODS = [
    # key, English, Swedish, Norwegian Bokmål
    ("bam", "Building Confidence (BaM)", "Bygga tilltro till egen förmåga (BaM)", "Bygging av mestringstillit (BaM)"),
    ("mi", "Motivational Interviewing (MI)", "Motiverande samtal (MI)", "Motiverende intervju (MI)"),
    (
        "cra",
        "Community Reinforcement Approach (CRA)",
        "Community Reinforcement Approach (CRA)",
        "Community Reinforcement Approach (CRA)",
    ),
    ("fgc", "Family group conference", "Familjerådslag", "Familieråd"),
]


def load(apps, schema_editor):
    Method = apps.get_model("org", "Method")
    for key, name, name_sv, name_nb in METHODS:
        Method.objects.update_or_create(
            key=key, defaults={"name": name, "name_sv": name_sv, "name_nb": name_nb}
        )


def unload(apps, schema_editor):
    apps.get_model("org", "Method").objects.filter(key__in=[m[0] for m in METHODS]).delete()


class Migration(migrations.Migration):
    dependencies = [("org", "0002_method_supervision_training")]

    operations = [migrations.RunPython(load, unload)]
