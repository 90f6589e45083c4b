"""The default life areas (docs/domain.md). Loaded by migration 0002 and, after a database
flush (transactional tests), by `load`; an administrator may rename, reorder, add or
retire areas."""

from __future__ import annotations

AREAS = [
    ("housing", "Housing", "Boende", "Bolig"),
    (
        "work",
        "Work, studies and income",
        "Arbete, studier och försörjning",
        "Arbeid, studier og inntekt",
    ),
    ("physical", "Physical health", "Fysisk hälsa", "Fysisk helse"),
    ("mental", "Mental health", "Psykisk hälsa", "Psykisk helse"),
    ("alcohol", "Alcohol", "Alkohol", "Alkohol"),
    ("drugs", "Drugs and medicines", "Narkotika och läkemedel", "Rusmidler og legemidler"),
    ("gambling", "Gambling and other habits", "Spel och andra vanor", "Pengespill og andre vaner"),
    ("legal", "Legal situation", "Rättslig situation", "Juridisk situasjon"),
    (
        "family",
        "Family and close relations",
        "Familj och nära relationer",
        "Familie og nære relasjoner",
    ),
    ("children", "Children and parenting", "Barn och föräldraskap", "Barn og foreldrerollen"),
    (
        "network",
        "Social network and leisure",
        "Socialt nätverk och fritid",
        "Sosialt nettverk og fritid",
    ),
]


def load(model) -> None:
    """Create or update the default areas with `model` (the app's or a migration's)."""
    for order, (key, en, sv, nb) in enumerate(AREAS):
        model.objects.update_or_create(
            key=key, defaults={"name_en": en, "name_sv": sv, "name_nb": nb, "order": order}
        )
