"""Expressions other apps use to show a client's groups."""

from django.db.models import Exists, OuterRef

from tillit.groups.models import GroupMember


def in_a_group() -> Exists:
    """Whether the case's person is, or was, in any group (annotate a Case queryset with
    it): the client's page asks this with the query that reads the cases, and reads the
    groups only for the few who are."""
    return Exists(GroupMember.objects.filter(person_id=OuterRef("person_id")))
