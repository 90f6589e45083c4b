"""The navigation of a client's record: the same on every page of the client (tillit.clients.
sections), showing where the reader is and what needs attention in each area."""

from __future__ import annotations

from django import template

from tillit.clients.access import PersonAccess
from tillit.clients.sections import navigation

register = template.Library()


@register.inclusion_tag("clients/client_nav.html", takes_context=True)
def client_nav(context: template.Context, granted: PersonAccess, current: str) -> dict:
    """For a page whose view has passed the policy for the client: `granted` is what
    get_person_for gave it, so the counts cover only the cases the reader may open and
    the policy is not asked twice."""
    person = granted.person
    cases = [case.pk for case in granted.cases]
    return {
        "person": person,
        "sections": navigation(context["request"].user, person, cases, current),
    }
