"""The client's groups and attendance on their page."""

from __future__ import annotations

from django import template
from django.db.models import Count, F, Q

from tillit.groups.models import Attendance, GroupMember

register = template.Library()


@register.inclusion_tag("groups/person_groups.html")
def person_groups(person, in_group: bool = True) -> dict:
    """Each of the person's group memberships with how many of its recorded sessions
    they came to, in two queries; none when the page already knows the person is in no
    group (`groups.queries.in_a_group`), as most clients are not. The person's page has
    already applied the policy and the audit."""
    if not in_group:
        return {"memberships": []}
    memberships = list(
        GroupMember.objects.filter(person=person)
        .select_related("group")
        .order_by(F("left_on").desc(nulls_first=True), "-joined_on")
    )
    if memberships:
        counts = {
            row["member"]: row
            for row in Attendance.objects.filter(member__in=memberships)
            .values("member")
            .annotate(attended=Count("pk", filter=Q(present=True)), recorded=Count("pk"))
            .order_by()
        }
        for member in memberships:
            row = counts.get(member.pk, {})
            member.attended = row.get("attended", 0)  # type: ignore[attr-defined]
            member.recorded = row.get("recorded", 0)  # type: ignore[attr-defined]
    return {"memberships": memberships}
