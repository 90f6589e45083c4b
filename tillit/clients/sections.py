"""The areas of a client's record, as the navigation on every page of the client shows them.

`clients` knows no practice: each app registers its area here from its AppConfig.ready
(`register(Section(...))`), with the page that opens it and, if it has one, what needs
attention there, counted per case in the one query the navigation makes. A new practice is
a new app that registers a section, not an edit to `clients`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Expression, Q
from django.urls import reverse
from django.utils.functional import Promise

from tillit.clients.models import Case, Person
from tillit.org.models import User


@dataclass(frozen=True)
class Section:
    key: str
    label: str | Promise
    url_name: str  # takes the person's key
    order: int
    # What needs attention in this area, per case: an expression counting it (for the user
    # reading), and how to say a count of it.
    attention: Callable[[User], Expression] | None = None
    says: Callable[[int], str] | None = None


SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    SECTIONS[section.key] = section


@dataclass
class Shown:
    section: Section
    url: str
    current: bool
    attention: str


def navigation(user: User, person: Person, case_ids: list[int], current: str) -> list[Shown]:
    """The client's areas in order, with what needs attention in each, over the cases the
    user may read (`case_ids`, as the access policy gave them): one query."""
    sections = sorted(SECTIONS.values(), key=lambda s: s.order)
    # Named apart from the case's own fields (a case has `plans`).
    counted = {f"attention_{s.key}": s.attention(user) for s in sections if s.attention}
    totals = dict.fromkeys(counted, 0)
    if counted and case_ids:
        for row in Case.objects.filter(Q(pk__in=case_ids)).annotate(**counted).values(*counted):
            for name in counted:
                totals[name] += row[name] or 0
    return [
        Shown(
            section,
            reverse(section.url_name, args=[person.pk]),
            section.key == current,
            _says(section, totals.get(f"attention_{section.key}", 0)),
        )
        for section in sections
    ]


def _says(section: Section, count: int) -> str:
    return section.says(count) if section.says and count else ""
