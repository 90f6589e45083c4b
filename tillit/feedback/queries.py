"""Expressions other apps use to show feedback in their lists of cases."""

from django.db.models.functions import Coalesce

from tillit.feedback.models import Alert
from tillit.lib.queries import count_per_row


def open_alerts() -> Coalesce:
    """The number of open alerts of a case (annotate a Case queryset with it)."""
    return count_per_row(Alert.objects.open(), "case")
