"""Expressions other apps use to show feedback in their lists of cases."""

from functools import cache

from django.db.models.functions import Coalesce

from tillit.feedback.models import Alert
from tillit.lib.queries import count_per_row


@cache
def open_alerts() -> Coalesce:
    """The number of open alerts of a case (annotate a Case queryset with it). Built once:
    a query copies an expression before it resolves it, so one serves every request."""
    return count_per_row(Alert.objects.open(), "case")
