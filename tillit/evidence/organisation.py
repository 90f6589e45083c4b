"""The organisation model of a unit, from the functions it is marked with (org.Unit).

The research on organising substance-abuse and social work (docs/sources 000, 003)
compares two ways of building the services:

- **integrated**: the same unit assesses *and* treats (does_assessment and
  does_intervention), so a client can keep one worker from the assessment through the
  help that follows; intake and follow-up may be in it too;
- **specialised**: a unit does one or some steps of a chain without both assessment and
  treatment (intake only; assessment only; treatment, with or without follow-up; follow-up
  only), so a client passes from unit to unit, and from worker to worker, along the chain;
- **not marked**: a unit with no function set (a parent unit, the municipality itself).

The rule reads the unit's flags only, never its name. A case is counted in the model of
the unit that holds it when the figures are computed (a case handed along a chain is in
its last unit's model). Pure: no database.
"""

from __future__ import annotations

INTEGRATED, SPECIALISED, UNMARKED = "integrated", "specialised", "unmarked"
MODELS = (INTEGRATED, SPECIALISED, UNMARKED)


def model_of(
    *,
    does_intake: bool = False,
    does_assessment: bool = False,
    does_intervention: bool = False,
    does_follow_up: bool = False,
) -> str:
    """INTEGRATED, SPECIALISED or UNMARKED for a unit with these functions."""
    if does_assessment and does_intervention:
        return INTEGRATED
    if does_intake or does_assessment or does_intervention or does_follow_up:
        return SPECIALISED
    return UNMARKED
