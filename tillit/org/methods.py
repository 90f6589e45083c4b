"""The methods register's rows Tillit ships with (migrations org/0003 and org/0007 load
them; the demo loads them again into a flushed test database)."""

from __future__ import annotations

METHODS = [
    # key, English, Swedish, Norwegian Bokmål
    (
        "bam",
        "Building Confidence (BaM)",
        "Bygga tilltro till egen förmåga (BaM)",
        "Bygging av mestringstillit (BaM)",
    ),
    (
        "mi",
        "Motivational Interviewing (MI)",
        "Motiverande samtal (MI)",
        "Motiverende intervju (MI)",
    ),
    (
        "cra",
        "Community Reinforcement Approach (CRA)",
        "Community Reinforcement Approach (CRA)",
        "Community Reinforcement Approach (CRA)",
    ),
    ("fgc", "Family group conference", "Familjerådslag", "Familieråd"),
    ("network", "Network meetings", "Nätverksmöten", "Nettverksmøter"),
]


def load(model, keys: set[str] | None = None) -> None:
    """Create or update the methods (those of `keys`, or all) with `model`: the app's, or
    a migration's historical one."""
    for key, name, name_sv, name_nb in METHODS:
        if keys is None or key in keys:
            model.objects.update_or_create(
                key=key, defaults={"name": name, "name_sv": name_sv, "name_nb": name_nb}
            )
