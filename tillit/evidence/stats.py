"""The numbers behind the leaders' evidence pages: continuity indices, 95% intervals and
the small-cell rules. Pure functions over plain values: no database, no settings.

- **UPC** (Usual Provider of Care): the share of a client's meetings held by the worker
  they met most, max nⱼ / N; undefined without meetings.
- **COC** (Bice-Boxerman Continuity of Care): (Σ nⱼ² - N) / (N(N - 1)); 1 when one worker
  held every meeting, 0 when every meeting was with someone new; undefined for N < 2.
- **Proportions** get the Wilson score interval (Wilson 1927): it stays inside [0, 1] and
  keeps its coverage for small n and for proportions near 0 or 1, where the plain
  p ± 1.96·√(p(1 - p)/n) collapses to a point.
- **Means** get the t interval, mean ± t(0.975, n - 1) · s / √n, with s the sample
  standard deviation; for n = 1 no interval is given.
- **Small cells**: a group of fewer than 5 is not published at all (`tables.shown`, the
  rule every table leaving Tillit follows); a group of fewer than 20 is published but
  marked "too few to compare" (UBÅT publishes outcomes only from 20-30 records).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tillit.lib.tables import SMALLEST_CELL, shown

COMPARABLE = 20  # fewer than this: shown, but too few to compare
Z95 = 1.959963984540054

# Two-sided 95% quantiles of Student's t, t(0.975, df), for df 1-30 and some beyond;
# between the rows the quantile is interpolated linearly in 1/df (exact to 3 decimals).
_T95 = {
    1: 12.706,
    2: 4.303,
    3: 3.182,
    4: 2.776,
    5: 2.571,
    6: 2.447,
    7: 2.365,
    8: 2.306,
    9: 2.262,
    10: 2.228,
    11: 2.201,
    12: 2.179,
    13: 2.160,
    14: 2.145,
    15: 2.131,
    16: 2.120,
    17: 2.110,
    18: 2.101,
    19: 2.093,
    20: 2.086,
    21: 2.080,
    22: 2.074,
    23: 2.069,
    24: 2.064,
    25: 2.060,
    26: 2.056,
    27: 2.052,
    28: 2.048,
    29: 2.045,
    30: 2.042,
    40: 2.021,
    60: 2.000,
    120: 1.980,
}


def t95(df: int) -> float:
    """t(0.975, df): the multiplier of the standard error in a 95% interval of a mean."""
    if df < 1:
        raise ValueError("a t interval needs at least one degree of freedom")
    if df in _T95:
        return _T95[df]
    points = [*sorted(_T95.items()), (math.inf, Z95)]
    for (d0, t0), (d1, t1) in itertools.pairwise(points):
        if d0 < df < d1:
            x0, x1, x = 1 / d0, 0.0 if d1 == math.inf else 1 / d1, 1 / df
            return t0 + (t1 - t0) * (x - x0) / (x1 - x0)
    return Z95  # pragma: no cover - every df >= 1 falls in a row or between two


# -- continuity --------------------------------------------------------------------------


def upc(meetings: Sequence[int]) -> float | None:
    """Usual Provider of Care: the most-seen worker's share of the meetings. `meetings`
    holds the number of meetings with each worker; None without meetings."""
    total = sum(meetings)
    if total == 0:
        return None
    return max(meetings) / total


def coc(meetings: Sequence[int]) -> float | None:
    """Bice-Boxerman Continuity of Care: (Σ nⱼ² - N) / (N(N - 1)); None for N < 2."""
    total = sum(meetings)
    if total < 2:
        return None
    return (sum(n * n for n in meetings) - total) / (total * (total - 1))


def band(contact_persons: int) -> str:
    """The continuity band of a case by how many contact persons it has had."""
    if contact_persons <= 0:
        return "none"
    if contact_persons == 1:
        return "one"
    if contact_persons == 2:
        return "two"
    return "three_or_more"


BANDS = ("one", "two", "three_or_more", "none")


# -- intervals ---------------------------------------------------------------------------


def wilson(successes: int, n: int) -> tuple[float, float] | None:
    """The Wilson score 95% interval of the proportion successes / n; None for n = 0."""
    if n <= 0:
        return None
    if not 0 <= successes <= n:
        raise ValueError("successes must be between 0 and n")
    p = successes / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = Z95 * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def t_interval(n: int, total: float, total_sq: float) -> tuple[float, float, float] | None:
    """Mean and 95% t interval from n, Σx and Σx² (what a database sums in one pass);
    None for n = 0, and the interval collapsed to the mean for n = 1."""
    if n <= 0:
        return None
    mean = total / n
    if n == 1:
        return mean, mean, mean
    variance = max(0.0, (total_sq - total * total / n) / (n - 1))
    half = t95(n - 1) * math.sqrt(variance / n)
    return mean, mean - half, mean + half


def sums(values: Iterable[float]) -> tuple[int, float, float]:
    """n, Σx and Σx² of `values`, for `t_interval` and `mean`."""
    n, total, total_sq = 0, 0.0, 0.0
    for value in values:
        n += 1
        total += value
        total_sq += value * value
    return n, total, total_sq


# -- what a cell publishes ---------------------------------------------------------------


@dataclass(frozen=True)
class Estimate:
    """One published number: a mean, a proportion or a count, with its n. A cell of a
    group under 5 publishes nothing of its value and its n as "<5"."""

    n: int
    value: float | None = None
    low: float | None = None
    high: float | None = None
    kind: str = "mean"  # mean, share, count, median, or own (a worker's own count)

    @property
    def hidden(self) -> bool:
        # A worker's own caseload and meetings ("own") are theirs to see whatever their
        # number: not a group's figure.
        return self.kind != "own" and shown(self.n) is None

    @property
    def few(self) -> bool:
        """Published, but too few to compare with another group."""
        return not self.hidden and self.n < COMPARABLE

    @property
    def shown_n(self) -> int | None:
        return shown(self.n)

    def published(self) -> tuple[int | None, float | None, float | None, float | None]:
        """What may leave Tillit: n (None under 5), the value and its interval (None
        when hidden or undefined)."""
        if self.hidden:
            return None, None, None, None
        return self.n, self.value, self.low, self.high


def mean(n: int, total: float, total_sq: float) -> Estimate:
    """A mean with its 95% t interval; nothing of it when n < 5."""
    if shown(n) is None:
        return Estimate(n)
    found = t_interval(n, total, total_sq)
    assert found is not None
    value, low, high = found
    return Estimate(n, value, low, high)


def share(successes: int, n: int) -> Estimate:
    """A proportion with its Wilson 95% interval; nothing of it when n < 5."""
    if shown(n) is None:
        return Estimate(n, kind="share")
    found = wilson(successes, n)
    assert found is not None
    return Estimate(n, successes / n, found[0], found[1], kind="share")


def count(n: int) -> Estimate:
    """A count of cases or people: "<5" under 5."""
    return Estimate(n, float(n) if shown(n) is not None else None, kind="count")


def smallest_published(cells: Iterable[Estimate]) -> int | None:
    """The smallest n among the cells that publish anything (None if none does): the
    property every page is held to is that this is never under 5."""
    published = [c.n for c in cells if c.kind != "own" and c.published()[0] is not None]
    return min(published) if published else None


SMALLEST = SMALLEST_CELL
