"""Scoring and alert rules: pure functions over plain values, no database.

An instrument's items are answered on its scale; `score` turns the answers into one
number, and `triggered` says which of the instrument's alert rules the new score sets off
given the client's earlier scores on the same instrument (oldest first).

Rules (thresholds are data, per instrument; defaults in instruments/v1.json):
- "below": the score is under the cut-off                       -> "below"
- "drop": the score fell by at least this much since last time  -> "drop"
- "not_better_after": N: after N meetings with answers, the score is no better than it
  was N - 1 answers ago                                         -> "not_better"
- "at_least": the score (for the unwanted-effects question, the worst answer) reaches
  this value                                                    -> "at_least"
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass


class AnswerError(ValueError):
    """Answers that cannot be scored: out of range, or a required item missing."""

    def __init__(self, code: str, item: str) -> None:
        super().__init__(f"{code}: {item}")
        self.code = code
        self.item = item


@dataclass(frozen=True)
class ItemSpec:
    key: str
    optional: bool = False


def score(
    answers: Mapping[str, int | None],
    items: Sequence[ItemSpec],
    *,
    method: str,
    low: int,
    high: int,
    switched_off: frozenset[str] = frozenset(),
) -> float:
    """One number for a set of answers.

    Items switched off for the case are ignored. An optional item may be left out; every
    other item must be answered within [low, high]. `method` is "mean", "sum" or "max".
    """
    values = []
    for item in items:
        if item.key in switched_off:
            continue
        value = answers.get(item.key)
        if value is None:
            if item.optional:
                continue
            raise AnswerError("missing", item.key)
        if not low <= value <= high:
            raise AnswerError("range", item.key)
        values.append(value)
    if not values:
        raise AnswerError("missing", items[0].key if items else "")
    if method == "sum":
        return float(sum(values))
    if method == "max":
        return float(max(values))
    return round(sum(values) / len(values), 2)


def triggered(rules: Mapping[str, float], earlier: Sequence[float], current: float) -> list[str]:
    """The rules that `current` sets off, given the `earlier` scores (oldest first)."""
    fired = []
    if "below" in rules and current < rules["below"]:
        fired.append("below")
    if "drop" in rules and earlier and earlier[-1] - current >= rules["drop"]:
        fired.append("drop")
    if "not_better_after" in rules:
        meetings = int(rules["not_better_after"])
        window = meetings - 1  # earlier answers to compare with, this one being the Nth
        if window >= 1 and len(earlier) >= window and current <= earlier[-window]:
            fired.append("not_better")
    if "at_least" in rules and current >= rules["at_least"]:
        fired.append("at_least")
    return fired
