"""The provisions a decision may rest on, as data (migration 0002 loads them; a municipality
may add its own). Each is named as the law names it; where a section number is not certain
here, the law (and chapter) is named without it, never guessed: the new Swedish
socialtjänstlag (SFS 2025:400, in force from 1 July 2025) is named without its chapters.

Sweden: socialtjänstlagen (2001:453) 4 kap. 1 § (bistånd; replaced by the 2025 law for
decisions from 1 July 2025, kept for the decisions made under it), socialtjänstlagen
(2025:400) with and without an individual needs assessment, and LVM (1988:870), compulsory
care. Norway: helse- og omsorgstjenesteloven §§ 3-1 and 3-2 and its chapter 10 (compulsory
measures towards persons dependent on substances), and sosialtjenesteloven (2009-12-18
nr. 131) § 18 (financial support for subsistence) and § 27 (temporary housing)."""

from __future__ import annotations

# key, country, reference, needs assessment, English, Swedish, Norwegian Bokmål
LAWS = [
    (
        "se-sol-2001-4-1",
        "SE",
        "SoL (2001:453) 4 kap. 1 §",
        True,
        "Social Services Act (2001:453), chapter 4 section 1: assistance",
        "Socialtjänstlagen (2001:453) 4 kap. 1 §: bistånd",
        "Svensk sosialtjenestelov (2001:453) kap. 4 § 1: bistand",
    ),
    (
        "se-sol-2025-assessed",
        "SE",
        "SoL (2025:400)",
        True,
        "Social Services Act (2025:400): an intervention after an individual needs assessment",
        "Socialtjänstlagen (2025:400): insats efter individuell behovsprövning",
        "Svensk sosialtjenestelov (2025:400): tiltak etter individuell behovsprøving",
    ),
    (
        "se-sol-2025-open",
        "SE",
        "SoL (2025:400), utan behovsprövning",
        False,
        "Social Services Act (2025:400): an intervention without an individual needs assessment",
        "Socialtjänstlagen (2025:400): insats utan individuell behovsprövning",
        "Svensk sosialtjenestelov (2025:400): tiltak uten individuell behovsprøving",
    ),
    (
        "se-lvm",
        "SE",
        "LVM (1988:870)",
        True,
        "Care of Abusers (Special Provisions) Act (1988:870), LVM: compulsory care",
        "Lagen (1988:870) om vård av missbrukare i vissa fall (LVM): tvångsvård",
        "Svensk lov (1988:870) om vård av missbrukare i vissa fall (LVM): tvangsbehandling",
    ),
    (
        "no-hol-3-1",
        "NO",
        "hol. § 3-1",
        True,
        "Health and Care Services Act (helse- og omsorgstjenesteloven) section 3-1: the "
        "municipality's overall responsibility for health and care services",
        "Helse- og omsorgstjenesteloven § 3-1: kommunens övergripande ansvar för hälso- och "
        "omsorgstjänster",
        "Helse- og omsorgstjenesteloven § 3-1: kommunens overordnede ansvar for helse- og "
        "omsorgstjenester",
    ),
    (
        "no-hol-3-2",
        "NO",
        "hol. § 3-2",
        True,
        "Health and Care Services Act (helse- og omsorgstjenesteloven) section 3-2: the "
        "municipality's health and care services",
        "Helse- og omsorgstjenesteloven § 3-2: kommunens hälso- och omsorgstjänster",
        "Helse- og omsorgstjenesteloven § 3-2: kommunens ansvar for helse- og omsorgstjenester",
    ),
    (
        "no-hol-10",
        "NO",
        "hol. kap. 10",
        True,
        "Health and Care Services Act (helse- og omsorgstjenesteloven) chapter 10: compulsory "
        "measures towards persons dependent on substances",
        "Helse- og omsorgstjenesteloven kap. 10: tvångsåtgärder mot personer med beroende",
        "Helse- og omsorgstjenesteloven kap. 10: tvangstiltak overfor rusmiddelavhengige",
    ),
    (
        "no-sotjl-18",
        "NO",
        "sotjl. § 18",
        True,
        "Social Services Act (sosialtjenesteloven) section 18: financial support for subsistence",
        "Sosialtjenesteloven § 18: ekonomiskt stöd till livsuppehälle",
        "Sosialtjenesteloven § 18: stønad til livsopphold",
    ),
    (
        "no-sotjl-27",
        "NO",
        "sotjl. § 27",
        True,
        "Social Services Act (sosialtjenesteloven) section 27: temporary housing",
        "Sosialtjenesteloven § 27: tillfälligt boende",
        "Sosialtjenesteloven § 27: midlertidig botilbud",
    ),
]


def load(model) -> None:
    """Create or update the provisions with `model` (the app's or a migration's)."""
    for key, country, reference, assessed, en, sv, nb in LAWS:
        model.objects.update_or_create(
            key=key,
            defaults={
                "country": country,
                "reference": reference,
                "needs_assessment": assessed,
                "name": en,
                "name_sv": sv,
                "name_nb": nb,
            },
        )
