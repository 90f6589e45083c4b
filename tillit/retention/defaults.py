"""The retention rules a new installation starts with (loaded by migration 0002).

Sweden: socialtjänstlagen's rule for personal files (personakter): removed five years
after the last entry, at the latest within the following calendar year; kept for research
if the person was born on the 5th, 15th or 25th of a month (socialtjänstförordningen);
never removed for paternity and parenthood, adoption, and the placement of children
outside their home. Norway: the municipality's archive plan (arkivplan) sets the times;
until an administrator enters them nothing of the default kind is removed, and child
welfare, adoption and paternity are kept (bevares).

Which country's rules are in force is chosen from TILLIT_TIME_ZONE at migration
(Europe/Oslo: Norway; else Sweden) and changed in the admin.
"""

from __future__ import annotations

SWEDISH_BASIS = "Socialtjänstlagen, gallring av personakter; socialtjänstförordningen 7 kap."
NORWEGIAN_BASIS = "Arkivlova, arkivforskrifta; kommunens arkivplan"

RULES: list[dict] = [
    {
        "key": "se-personal-file",
        "country": "se",
        "is_default": True,
        "name_en": "Personal file (adults, substance abuse care and other kinds)",
        "name_sv": "Personakt (vuxna, missbruksvård och övrigt)",
        "name_nb": "Personmappe (voksne, rusomsorg og annet)",
        "years": 5,
        "by_end_of_next_year": True,
        "research_days": "5,15,25",
        "legal_basis": SWEDISH_BASIS,
    },
    {
        "key": "se-paternity",
        "country": "se",
        "name_en": "Paternity and parenthood",
        "name_sv": "Faderskap och föräldraskap",
        "name_nb": "Farskap og foreldreskap",
        "keep_forever": True,
        "legal_basis": SWEDISH_BASIS,
    },
    {
        "key": "se-adoption",
        "country": "se",
        "name_en": "Adoption",
        "name_sv": "Adoption",
        "name_nb": "Adopsjon",
        "keep_forever": True,
        "legal_basis": SWEDISH_BASIS,
    },
    {
        "key": "se-child-placement",
        "country": "se",
        "name_en": "Placement of children outside their home",
        "name_sv": "Placering av barn utanför hemmet",
        "name_nb": "Plassering av barn utenfor hjemmet",
        "keep_forever": True,
        "legal_basis": SWEDISH_BASIS,
    },
    {
        "key": "no-personal-file",
        "country": "no",
        "is_default": True,
        "name_en": "Personal file (set by the archive plan)",
        "name_sv": "Personakt (enligt arkivplanen)",
        "name_nb": "Personmappe (etter arkivplanen)",
        "years": None,
        "legal_basis": NORWEGIAN_BASIS,
    },
    {
        "key": "no-child-welfare",
        "country": "no",
        "name_en": "Child welfare",
        "name_sv": "Barnskydd",
        "name_nb": "Barnevern",
        "keep_forever": True,
        "legal_basis": NORWEGIAN_BASIS,
    },
    {
        "key": "no-adoption",
        "country": "no",
        "name_en": "Adoption",
        "name_sv": "Adoption",
        "name_nb": "Adopsjon",
        "keep_forever": True,
        "legal_basis": NORWEGIAN_BASIS,
    },
    {
        "key": "no-paternity",
        "country": "no",
        "name_en": "Paternity",
        "name_sv": "Faderskap",
        "name_nb": "Farskap",
        "keep_forever": True,
        "legal_basis": NORWEGIAN_BASIS,
    },
]


def country_in_force(time_zone: str) -> str:
    return "no" if time_zone == "Europe/Oslo" else "se"
