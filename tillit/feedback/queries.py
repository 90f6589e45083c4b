"""Expressions other apps use to show feedback in their lists of cases."""

from django.db.models import Count, IntegerField, OuterRef, Subquery

from tillit.feedback.models import Alert


def open_alerts() -> Subquery:
    """The number of open alerts of a case (annotate a Case queryset with it)."""
    counted = (
        Alert.objects.open()
        .filter(case=OuterRef("pk"))
        .order_by()
        .values("case")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())
