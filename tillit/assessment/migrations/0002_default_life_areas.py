from django.db import migrations

# The default life areas (DOMAIN.md); an administrator may rename, reorder, add or retire.
AREAS = [
    ("housing", "Housing", "Boende", "Bolig"),
    ("work", "Work, studies and income", "Arbete, studier och försörjning", "Arbeid, studier og inntekt"),
    ("physical", "Physical health", "Fysisk hälsa", "Fysisk helse"),
    ("mental", "Mental health", "Psykisk hälsa", "Psykisk helse"),
    ("alcohol", "Alcohol", "Alkohol", "Alkohol"),
    ("drugs", "Drugs and medicines", "Narkotika och läkemedel", "Rusmidler og legemidler"),
    ("gambling", "Gambling and other habits", "Spel och andra vanor", "Pengespill og andre vaner"),
    ("legal", "Legal situation", "Rättslig situation", "Juridisk situasjon"),
    ("family", "Family and close relations", "Familj och nära relationer", "Familie og nære relasjoner"),
    ("children", "Children and parenting", "Barn och föräldraskap", "Barn og foreldrerollen"),
    ("network", "Social network and leisure", "Socialt nätverk och fritid", "Sosialt nettverk og fritid"),
]


def add(apps, schema_editor):
    LifeArea = apps.get_model("assessment", "LifeArea")
    for order, (key, en, sv, nb) in enumerate(AREAS):
        LifeArea.objects.update_or_create(
            key=key, defaults={"name_en": en, "name_sv": sv, "name_nb": nb, "order": order}
        )


def remove(apps, schema_editor):
    apps.get_model("assessment", "LifeArea").objects.filter(key__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("assessment", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
