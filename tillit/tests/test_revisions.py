"""The one optimistic-locking mechanism (tillit/lib/revisions.py), on a plan's goal and
on the assessment's client view (a revision column of another name)."""

from __future__ import annotations

import datetime

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tillit.assessment.models import Assessment
from tillit.assessment.services import assessment_start
from tillit.lib.revisions import (
    OVERWRITE,
    Conflict,
    conflict_context,
    revision_for,
    save_at_revision,
)
from tillit.plans.models import Goal
from tillit.plans.tests.data import plan_with_goals


@pytest.fixture
def goal(case, worker) -> Goal:
    return plan_with_goals(case, worker).goals.get()


def _read(goal: Goal) -> Goal:
    return Goal.objects.get(pk=goal.pk)


def test_a_save_at_the_revision_read_writes_and_moves_it_on(goal):
    saved = save_at_revision(_read(goal), 1, {"text": "Ett eget boende"})
    assert (saved.text, saved.revision) == ("Ett eget boende", 2)
    assert (_read(goal).text, _read(goal).revision) == ("Ett eget boende", 2)


def test_the_check_and_the_write_are_one_update(goal):
    with CaptureQueriesContext(connection) as queries:
        save_at_revision(_read(goal), 1, {"text": "Ett"})
    (update,) = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert '"revision"' in update.split("WHERE")[1]


def test_a_stale_save_writes_nothing_and_carries_the_other_version(goal):
    first, second = _read(goal), _read(goal)
    save_at_revision(first, 1, {"text": "Först"})
    with pytest.raises(Conflict) as raised:
        save_at_revision(second, 1, {"text": "Sedan"})
    assert raised.value.saved.text == "Först" and raised.value.revision == 2
    assert raised.value.mine == {"text": "Sedan"}
    assert (_read(goal).text, _read(goal).revision) == ("Först", 2)


def test_the_same_values_saved_twice_are_no_conflict(goal):
    first, second = _read(goal), _read(goal)
    save_at_revision(first, 1, {"text": "Samma\r\nrad"})
    again = save_at_revision(second, 1, {"text": "Samma\nrad"})
    assert again.revision == 2


def test_an_unchanged_save_writes_nothing(goal):
    read = _read(goal)
    with CaptureQueriesContext(connection) as queries:
        save_at_revision(read, 1, {"text": read.text})
    assert not queries
    assert _read(goal).revision == 1


def test_bookkeeping_is_written_but_never_compared(case, worker):
    assessment = assessment_start(actor=worker, case=case)
    answer = assessment.answers.first()
    stamp = datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC)
    saved = save_at_revision(answer, 1, {"agreed": "Ja"}, also={"updated_at": stamp})
    assert saved.updated_at == stamp


def test_a_row_that_is_gone_says_so(goal):
    read = _read(goal)
    Goal.objects.filter(pk=goal.pk).delete()
    with pytest.raises(Goal.DoesNotExist):
        save_at_revision(read, 1, {"text": "x"})


def test_another_revision_column(case, worker):
    assessment = assessment_start(actor=worker, case=case)
    stale = Assessment.objects.get(pk=assessment.pk)
    save_at_revision(assessment, 1, {"client_view": "agrees"}, field="view_revision")
    with pytest.raises(Conflict) as raised:
        save_at_revision(stale, 1, {"client_view": "dissents"}, field="view_revision")
    assert raised.value.revision == 2
    assert Assessment.objects.get(pk=assessment.pk).instrument_revision == 1


class _Form(forms.Form):
    text = forms.CharField(label="Goal", widget=forms.Textarea)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "First kind"), ("b", "Second kind")])
    on = forms.DateField(label="Date", required=False)
    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)


def test_the_conflict_shows_each_differing_field_in_words(goal, settings):
    settings.LANGUAGE_CODE = "en"
    form = _Form({"text": "Mine", "kind": "b", "on": "", "revision": "1"})
    assert form.is_valid()
    conflict = Conflict(_read(goal), {"text": "Mine"})
    stored = {"text": "Theirs", "kind": "a", "on": datetime.date(2026, 1, 5)}
    shown = conflict_context(conflict, form, stored, heading="H", key=7, reload="/back/")
    rows = {d.name: d for d in shown["differences"]}
    assert (rows["text"].saved, rows["text"].yours) == ("Theirs", "Mine")
    assert (rows["kind"].saved, rows["kind"].yours) == ("First kind", "Second kind")
    assert rows["kind"].saved_value == "a" and rows["on"].saved_value == "2026-01-05"
    assert rows["on"].yours == "(empty)"
    assert shown["revision"] == 1 and shown["revision_id"] == "id_revision"
    assert (shown["key"], shown["reload"], shown["overwrite_name"]) == (7, "/back/", OVERWRITE)


def test_the_revision_saved_against_is_the_forms_unless_the_writer_keeps_theirs():
    form = _Form({"text": "x", "kind": "a", "revision": "3"})
    assert form.is_valid()
    assert revision_for(form, form.data) == 3
    assert revision_for(form, {**form.data, OVERWRITE: "5"}) == 5
    assert revision_for(form, {**form.data, OVERWRITE: "nonsense"}) == 3


def test_json_is_compared_by_content_not_by_the_order_of_its_keys(case, worker):
    assessment = assessment_start(actor=worker, case=case)
    stale = Assessment.objects.get(pk=assessment.pk)
    scores = {"drugs": 0.2, "alcohol": 0.61}
    save_at_revision(assessment, 1, {"instrument_scores": scores}, field="instrument_revision")
    # The same scores sent again on the old revision (a double click): no conflict.
    again = save_at_revision(
        stale, 1, {"instrument_scores": dict(reversed(scores.items()))}, field="instrument_revision"
    )
    assert again.instrument_revision == 2
