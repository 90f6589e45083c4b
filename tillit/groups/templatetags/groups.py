"""The client's groups and attendance on their page, in one query."""

from __future__ import annotations

from django import template
from django.db.models import Count, F, Q

from tillit.groups.models import GroupMember

register = template.Library()


@register.inclusion_tag("groups/person_groups.html")
def person_groups(person) -> dict:  # type: ignore[no-untyped-def]
    """Each of the person's group memberships with how many of its recorded sessions
    they came to. The person's page has already applied the policy and the audit."""
    memberships = list(
        GroupMember.objects.filter(person=person)
        .select_related("group")
        .annotate(
            attended=Count("attendance", filter=Q(attendance__present=True)),
            recorded=Count("attendance"),
        )
        .order_by(F("left_on").desc(nulls_first=True), "-joined_on")
    )
    return {"memberships": memberships}
