"""Query helpers shared by apps."""

from django.core.paginator import Page, Paginator
from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Window
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


# The largest OFFSET SQLite and PostgreSQL take: a 64-bit signed integer.
MAX_OFFSET = 2**63 - 1


def counted_page(rows: QuerySet, number: str | None, per_page: int) -> Page:
    """A page of `rows` as `Paginator.get_page` gives it, with the total counted in the same
    query (COUNT(*) OVER ()) instead of a query of its own. A number that is not one, or is
    below 1, gives the first page; only a number past the end costs the paginator's usual
    two queries, to fall back to the last page. So does a number too large for the
    database's OFFSET (64 bits), which it would refuse with an error.
    """
    paginator = Paginator(rows, per_page)
    text = (number or "").strip()
    try:
        wanted = max(int(text or 1), 1)
    except ValueError:
        # Python refuses to read more than 4,300 digits: still a page past the end.
        wanted = MAX_OFFSET if text.isdigit() else 1
    start = (wanted - 1) * per_page
    if start + per_page > MAX_OFFSET:
        return paginator.page(paginator.num_pages)
    found = list(rows.annotate(_total=Window(Count("pk")))[start : start + per_page])
    if not found and wanted > 1:
        return paginator.get_page(wanted)
    first = found[0] if found else None
    paginator.count = (
        0 if first is None else (first["_total"] if isinstance(first, dict) else first._total)
    )
    return Page(found, wanted, paginator)
