"""The navigation of a client's record: the same on every page of the client (tillit.clients.
sections), showing where the reader is and what needs attention in each area."""

from __future__ import annotations

from django import template

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Person
from tillit.clients.sections import navigation

register = template.Library()


@register.inclusion_tag("clients/client_nav.html", takes_context=True)
def client_nav(context: template.Context, person: Person, current: str) -> dict:
    """For a page that has passed the policy for `person` (its view called get_person_for
    or get_case_for): the policy is asked again for the cases the reader may read, without
    a second audit row, so that the counts cover no case the reader may not open."""
    user = context["request"].user
    granted = access.person_access(user, person.pk, Action.READ)
    sections = navigation(user, person, [case.pk for case in granted.cases], current)
    return {"person": person, "sections": sections}
