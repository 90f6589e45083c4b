"""Query helpers shared by apps."""

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_per_row(rows: QuerySet, field: str) -> Coalesce:
    """The number of `rows` whose `field` points at the outer row, as an annotation.

    A correlated subquery rather than a join with Count: a join would multiply against
    other joins and aggregate every related row before counting.
    """
    counted = (
        rows.filter(**{field: OuterRef("pk")})
        .order_by()
        .values(field)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
