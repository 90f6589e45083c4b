"""tillit.lib.queries.Prepared: a query compiled once and run for one key at a time."""

from __future__ import annotations

from unittest import mock

import pytest
from django.db.models import Exists, OuterRef
from django.db.models.sql.compiler import SQLCompiler

from tillit.clients.models import Assignment, JournalEntry
from tillit.factories import CaseFactory, EntryFactory
from tillit.lib.queries import _SLOT, Prepared, count_per_row


def entries_with(user_id: int):  # type: ignore[no-untyped-def]
    """Entries with their case and the case's person (two joins), whether `user_id` is on
    the case (a subquery with a value of its own) and a count: every kind of column."""
    mine = Assignment.objects.current().filter(worker_id=user_id, case_id=OuterRef("case_id"))
    return JournalEntry.objects.select_related("case__person").annotate(
        mine=Exists(mine), versions=count_per_row(JournalEntry.objects.all(), "thread")
    )


def seen(entry: JournalEntry) -> tuple:
    return (
        entry.pk,
        entry.happened_at,  # a datetime, converted on SQLite
        entry.client_words,  # a boolean, converted on SQLite
        entry.text,
        entry.case.opened_on,  # a date, from the first join
        entry.case.person.full_name,  # from the second
        entry.mine,  # type: ignore[attr-defined]
        entry.versions,  # type: ignore[attr-defined]
        entry._state.adding,
        entry.case._state.db,
    )


@pytest.mark.django_db
def test_a_prepared_query_gives_what_the_orm_gives_for_each_key(
    worker, case, django_assert_num_queries
):
    other = CaseFactory()
    for text in ("one", "two"):
        EntryFactory(case=case, author=worker, text=text, client_words=True)
    EntryFactory(case=other, author=worker, text="elsewhere", signed=True)
    prepared = Prepared(entries_with(worker.pk).order_by("pk"), "case_id")
    for key in (case.pk, other.pk, other.pk + 1000):
        expected = [seen(e) for e in entries_with(worker.pk).filter(case_id=key).order_by("pk")]
        with django_assert_num_queries(1):  # the joined rows come with it
            found = [seen(e) for e in prepared(key)]
        assert found == expected
    assert [e.mine for e in prepared(case.pk)] == [True, True]  # type: ignore[attr-defined]
    assert [e.mine for e in prepared(other.pk)] == [False]  # type: ignore[attr-defined]
    assert prepared(other.pk + 1000) == []


@pytest.mark.django_db
def test_a_prepared_query_is_compiled_once_and_sees_every_change(worker, case):
    prepared = Prepared(entries_with(worker.pk), "case_id")
    compiles = mock.patch.object(
        SQLCompiler, "as_sql", autospec=True, side_effect=SQLCompiler.as_sql
    )
    with compiles as as_sql:
        assert prepared(case.pk) == []
        entry = EntryFactory(case=case, author=worker, text="first")
        assert [e.text for e in prepared(case.pk)] == ["first"]
        entry.text = "changed"
        entry.save()
        assert [e.text for e in prepared(case.pk)] == ["changed"]
    assert as_sql.call_count == 1 + 2  # the query once, and the two saves' own
    assert prepared.rows._result_cache is None  # what was compiled is never run


def test_a_prepared_query_takes_only_model_rows_without_prefetching():
    with pytest.raises(ValueError):
        Prepared(JournalEntry.objects.values("pk"), "case_id")
    with pytest.raises(ValueError):
        Prepared(JournalEntry.objects.prefetch_related("case"), "case_id")


@pytest.mark.django_db
def test_a_key_that_appears_twice_is_refused(case):
    twice = Prepared(JournalEntry.objects.filter(thread_id=_SLOT), "case_id")
    with pytest.raises(ValueError, match="once"):
        twice(case.pk)
