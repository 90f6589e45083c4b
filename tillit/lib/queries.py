"""Query helpers shared by apps."""

from typing import Generic, TypeVar

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import Count, IntegerField, Model, OuterRef, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce
from django.db.models.query import ModelIterable, get_related_populators  # type: ignore[attr-defined]


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


M = TypeVar("M", bound=Model)

# Stands for the key in a prepared query until it is run: a key no row has.
_SLOT = -(2**62) - 1917


class Prepared(Generic[M]):
    """The rows of `rows` whose `lookup` is a key, from SQL the ORM compiles only once.

    Turning a query into SQL (joins, lookups, subqueries, quoting) costs Django more than
    running it: for the access policy's case query with its grant, about 1,800 of the
    journal write's 8,400 Python calls. A Prepared query is compiled at its first call,
    with a stand-in for the key; each call runs that SQL with the key in the stand-in's
    place and builds the rows as a QuerySet does (Django's converters, select_related,
    annotations). The SQL is the ORM's own, so it stays right on SQLite and PostgreSQL.

    For queries built once and kept (access._cases_for): everything in them but the key is
    fixed when they are built, as it already was for the query they are compiled from.
    """

    def __init__(self, rows: QuerySet[M], lookup: str) -> None:
        prefetching = rows._prefetch_related_lookups  # type: ignore[attr-defined]
        if prefetching or rows._iterable_class is not ModelIterable:
            raise ValueError("A prepared query reads model rows, without prefetching.")
        self.rows = rows.filter(**{lookup: _SLOT})
        self._compiled: tuple | None = None

    def __call__(self, key: int) -> list[M]:
        compiler, sql, params, slot, converters, build = self._compiled or self._compile()
        params = [*params]
        params[slot] = int(key)
        with connections[compiler.using].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if converters:
            rows = compiler.apply_converters(rows, converters)
        return [build(row) for row in rows]

    def one(self, key: int) -> M | None:
        """The row with `key`, for a lookup by a unique key; None if there is none."""
        rows = self(key)
        return rows[0] if rows else None

    def _compile(self) -> tuple:
        db = self.rows.db
        compiler = self.rows.query.get_compiler(using=db)
        sql, params = compiler.as_sql()
        slots = [i for i, value in enumerate(params) if value == _SLOT]
        if len(slots) != 1:
            raise ValueError(f"The key must appear once in a prepared query: {sql}")
        slot = slots[0]
        info, select, annotations = (
            compiler.klass_info,
            compiler.select,
            compiler.annotation_col_map,
        )
        columns = [column[0] for column in select[: compiler.col_count]]
        if compiler.has_composite_fields(columns):
            raise ValueError("A prepared query reads no composite keys.")
        converters = compiler.get_converters(columns)
        model = info["model"]
        start, end = info["select_fields"][0], info["select_fields"][-1] + 1
        names = [column[0].target.attname for column in select[start:end]]
        related = get_related_populators(info, select, db)

        def build(row: list) -> M:
            obj = model.from_db(db, names, row[start:end])
            for populator in related:
                populator.populate(row, obj)
            for name, position in annotations.items():
                setattr(obj, name, row[position])
            return obj

        self._compiled = (compiler, sql, params, slot, converters, build)
        return self._compiled
