"""Socialstyrelsen's yearly statistics on interventions for adults with substance problems
(*Insatser för vuxna personer med missbruk och beroende*), as data: which of Tillit's
interventions each of the report's categories counts. `tillit.outcomes.statistics` counts
from this and nothing else, so a change to the report is a change here
(docs/statistics.md says what each category means and where Tillit cannot tell).

A rule matches an intervention by its kind (`decisions.models.Kind`), optionally its form
of placement (`outcomes.models.PlacementForm`), and whether it is compulsory care. Care is
compulsory when the placement's form is compulsory care (an LVM home) or the decision it
carries out rests on a compulsory-care law (`COMPULSORY_LAWS`, keys of
`tillit/decisions/laws.py`): LVM care in a family home or a treatment home (LVM 27 §) is
recorded as the placement it is, under a decision under LVM.

Only needs-assessed interventions are counted: one carrying out a decision under a law
without needs assessment (the 2025 law's services without individual needs assessment) is
left out. An intervention not linked to a decision is counted (services without needs
assessment are recorded apart from cases)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

COMPULSORY_LAWS = ("se-lvm", "no-hol-10")

# Persons with an intervention on 1 November, each person once per category and unit.
PERSONS_ON_1_NOVEMBER = [
    {
        "key": "housing",
        "report": "Boendeinsatser",
        "label": _("Housing support"),
        "match": [
            {"kind": "housing"},
            {"kind": "placement", "placement_form": "supported_housing"},
        ],
    },
    {
        "key": "outpatient",
        "report": "Behovsprövade öppenvårdsinsatser",
        "label": _("Needs-assessed outpatient interventions"),
        "match": [
            {"kind": "outpatient"},
            {"kind": "method"},
            {"kind": "group"},
            {"kind": "support"},
        ],
    },
    {
        "key": "institution_voluntary",
        "report": "Heldygnsvård, institution (HVB), frivillig (SoL)",
        "label": _("24-hour care: institution (HVB), voluntary"),
        "match": [{"kind": "placement", "placement_form": "hvb", "compulsory": False}],
    },
    {
        "key": "institution_lvm",
        "report": "Heldygnsvård, institution, LVM",
        "label": _("24-hour care: institution, compulsory (LVM)"),
        "match": [
            {"kind": "placement", "placement_form": "lvm"},
            {"kind": "placement", "placement_form": "hvb", "compulsory": True},
        ],
    },
    {
        "key": "family_home_voluntary",
        "report": "Heldygnsvård, familjehem, frivillig (SoL)",
        "label": _("24-hour care: family home, voluntary"),
        "match": [{"kind": "placement", "placement_form": "family_home", "compulsory": False}],
    },
    {
        "key": "family_home_lvm",
        "report": "Heldygnsvård, familjehem, LVM",
        "label": _("24-hour care: family home, compulsory (LVM)"),
        "match": [{"kind": "placement", "placement_form": "family_home", "compulsory": True}],
    },
]

# Voluntary admissions during the year: interventions (not persons) that started in it.
ADMISSIONS = [
    {
        "key": "admitted_housing",
        "report": "Frivilliga inskrivningar, boende",
        "label": _("Voluntary admissions: housing"),
        "match": [
            {"kind": "housing", "compulsory": False},
            {"kind": "placement", "placement_form": "supported_housing", "compulsory": False},
        ],
    },
    {
        "key": "admitted_institution",
        "report": "Frivilliga inskrivningar, institution",
        "label": _("Voluntary admissions: institutions"),
        "match": [{"kind": "placement", "placement_form": "hvb", "compulsory": False}],
    },
    {
        "key": "admitted_family_home",
        "report": "Frivilliga inskrivningar, familjehem",
        "label": _("Voluntary admissions: family homes"),
        "match": [{"kind": "placement", "placement_form": "family_home", "compulsory": False}],
    },
]

# Care days in voluntary institutional care during the year: each day of the year on
# which such a placement ran, up to its end (or the last day of the year, or today).
CARE_DAYS = {
    "key": "care_days_institution",
    "report": "Vårddygn, frivillig institutionsvård",
    "label": _("Care days in voluntary institutional care"),
    "match": [{"kind": "placement", "placement_form": "hvb", "compulsory": False}],
}
