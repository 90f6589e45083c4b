"""k-anonymity of an extract before it is released.

The quasi-identifiers are what an outsider could know of a person and look up: the age
band and sex (when the demographics are ordered), the unit and the year the case opened.
Each case row is released only if at least k persons share its combination; rows that do
not are generalised step by step and checked again among themselves:

    level 0: age in 5-year bands, sex, unit, year
    level 1: age in 10-year bands, sex, unit, year
    level 2: age in 10-year bands, sex, unit (the year left out)

and a row still too rare after the last step is suppressed (left out, with every row about
its case). A class fails or passes as a whole, so every released combination is shared by
at least k persons (counted as persons, not cases: one person's two cases do not make two).
Pure functions over plain values, tested by hand in tests/test_anonymity.py."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tillit.extracts.codebook import AGE_BANDS, OLDEST, K


@dataclass(frozen=True)
class Quasi:
    """One case's quasi-identifiers as stored (age at opening; sex "F", "M" or "")."""

    person: int
    age: int | None
    sex: str
    unit: int
    year: int


@dataclass(frozen=True)
class Level:
    band: int
    with_year: bool


LEVELS = (
    Level(AGE_BANDS[0], True),
    Level(AGE_BANDS[1], True),
    Level(AGE_BANDS[1], False),
)


@dataclass(frozen=True)
class Released:
    level: int
    age_band: str
    sex: str
    year: int | None


def band(age: int | None, width: int) -> str:
    """The age band of `age` ("35-39" for 5 years, "30-39" for 10), "90+" from 90, and ""
    when the age is unknown."""
    if age is None:
        return ""
    if age >= OLDEST:
        return f"{OLDEST}+"
    low = max(age, 0) // width * width
    return f"{low}-{low + width - 1}"


def release(
    rows: Sequence[Quasi], *, demographics: bool = True, k: int = K
) -> list[Released | None]:
    """Each row as released (its level and generalised values), or None if suppressed."""
    result: list[Released | None] = [None] * len(rows)
    pending = list(range(len(rows)))
    for number, level in enumerate(LEVELS):
        keys = {}
        persons: dict[tuple, set[int]] = defaultdict(set)
        for i in pending:
            row = rows[i]
            key = (
                band(row.age, level.band) if demographics else "",
                row.sex if demographics else "",
                row.unit,
                row.year if level.with_year else None,
            )
            keys[i] = key
            persons[key].add(row.person)
        still = []
        for i in pending:
            key = keys[i]
            if len(persons[key]) >= k:
                result[i] = Released(number, key[0], key[1], key[3])
            else:
                still.append(i)
        pending = still
    return result


def summary(released: Sequence[Released | None]) -> dict[str, int]:
    """How many case rows were released as ordered, generalised at each step, suppressed."""
    counts = {"cases": len(released), "as_ordered": 0, "age_widened": 0, "year_left_out": 0}
    names = {0: "as_ordered", 1: "age_widened", 2: "year_left_out"}
    for row in released:
        if row is not None:
            counts[names[row.level]] += 1
    counts["suppressed"] = sum(1 for row in released if row is None)
    return counts
