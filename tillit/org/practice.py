"""How the leaders' methods page counts practice from Tillit's own records.

`org` knows no practice app: each app that records the use of a method registers a counter
from its AppConfig.ready (`register(Counter(...))`), as the areas of a client's page
register their sections (tillit/clients/sections.py). The dependency points the one way
(the practice app imports org), and the page asks every registered counter. A counter
gets the staff and a start time and gives {(staff id, method key): how many}, counted in
the database; no client data leaves it."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Counter:
    key: str
    # The methods (keys) it counts; None: any method in the register.
    methods: frozenset[str] | None
    count: Callable[[list[int], datetime.datetime], dict[tuple[int, str], int]]
    says: Callable[[int], str]  # how to say a count of it


COUNTERS: dict[str, Counter] = {}


def register(counter: Counter) -> None:
    COUNTERS[counter.key] = counter


def measures(method_key: str) -> bool:
    return any(c.methods is None or method_key in c.methods for c in COUNTERS.values())


def practised(
    staff_ids: list[int], since: datetime.datetime
) -> dict[tuple[int, str], list[tuple[Counter, int]]]:
    """Each registered counter once (one query or two each, whatever the methods)."""
    found: dict[tuple[int, str], list[tuple[Counter, int]]] = {}
    for counter in sorted(COUNTERS.values(), key=lambda c: c.key):
        for key, n in counter.count(staff_ids, since).items():
            if n:
                found.setdefault(key, []).append((counter, n))
    return found
