"""Anonymity by construction: nothing on an answer ties it to a person, a case, a member
of staff, an address or a time, and the order answers came in cannot be read back."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.db import connection, models
from django.urls import reverse

from tillit.survey import results
from tillit.survey.models import Answer, PaperTally, Period, Question, Response
from tillit.survey.services import paper_record, response_record
from tillit.survey.tests.data import TODAY, make_period

TIME_FIELDS = (models.DateField, models.DateTimeField, models.TimeField, models.DurationField)


@pytest.mark.parametrize("model", [Response, Answer])
def test_an_answer_has_no_time_no_person_and_a_random_key(model):
    for field in model._meta.get_fields():
        assert not isinstance(field, TIME_FIELDS), field
        assert not isinstance(field, models.AutoField | models.BigAutoField), field
        assert not isinstance(field, models.GenericIPAddressField), field
        if field.is_relation and field.many_to_one:
            assert field.related_model in (Period, Response, Question), field
    assert isinstance(model._meta.pk, models.UUIDField)
    assert model._meta.pk.default is uuid.uuid4
    assert model._meta.ordering == ["id"]  # random, never the order of arrival


def test_the_period_is_the_finest_time_an_answer_carries():
    names = {f.name for f in Response._meta.get_fields()}
    assert names == {"id", "period", "channel", "free_text", "submission", "answers"}


def _store(period, first, second):  # type: ignore[no-untyped-def]
    """Two answers stored in the given order, with the keys given."""
    for key, text in (first, second):
        Response.objects.create(id=key, period=period, channel="phone", free_text=text)


def _read(period):  # type: ignore[no-untyped-def]
    found = results.year_results(period.year, [period.unit], [], before=TODAY.replace(year=9999))
    return (
        list(Response.objects.filter(period=period).values_list("id", "free_text")),
        found.units[0].free_texts,
    )


def test_two_answers_cannot_be_told_apart_by_the_order_they_were_stored(unit, leader):
    period = make_period(unit, leader, starts_on=TODAY.replace(month=1, day=1))
    big, small = uuid.UUID(int=2**120), uuid.UUID(int=2**64)
    a, b = (big, "Alfa"), (small, "Beta")

    _store(period, a, b)
    one_way = _read(period)
    Response.objects.filter(period=period).delete()
    _store(period, b, a)  # the other order

    assert _read(period) == one_way
    if connection.vendor == "sqlite":  # nor in the table's own storage
        with connection.cursor() as cursor:
            cursor.execute("SELECT id FROM survey_response")
            assert [row[0] for row in cursor.fetchall()] == sorted([big.hex, small.hex])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's hidden row number")
@pytest.mark.parametrize("table", ["survey_response", "survey_answer"])
def test_sqlite_keeps_no_row_number_that_grows_with_each_answer(table, db):
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [table])
        assert cursor.fetchone()[0].endswith("WITHOUT ROWID")


def test_a_paper_answer_does_not_say_who_typed_it(unit, leader, worker):
    period = make_period(unit, leader)

    response, made = paper_record(actor=worker, period=period, answers={"respect": 4})

    assert made
    stored = Response.objects.filter(pk=response.pk).values().get()
    assert worker.pk not in [v for k, v in stored.items() if k != "period_id"]
    assert PaperTally.objects.get(period=period, staff=worker).forms == 1


def test_the_public_answer_leaves_no_trace_in_logs_session_or_access_log(
    unit, leader, client, caplog
):
    period = make_period(unit, leader)
    url = reverse("survey:answer", args=[period.token])
    client.get(url)
    from tillit.audit.models import AccessLog

    before = AccessLog.objects.count()
    with caplog.at_level(logging.DEBUG):
        response = client.post(
            url, {"q_respect": "4", "free_text": "Hemligt svar"}, REMOTE_ADDR="10.1.2.3"
        )
    assert response.status_code == 200
    assert Response.objects.filter(free_text="Hemligt svar").exists()
    for record in caplog.records:
        text = record.getMessage()
        assert "Hemligt" not in text and "10.1.2.3" not in text
        assert record.name not in ("tillit.access", "tillit.security")
    assert AccessLog.objects.count() == before
    assert "sessionid" not in response.cookies
    cookie = response.cookies[f"tillit_survey_{period.pk}"].value
    assert "Hemligt" not in cookie and "respect" not in cookie


def test_the_service_takes_nothing_that_points_at_anyone(unit, leader):
    import inspect

    for service in (response_record, paper_record):
        parameters = set(inspect.signature(service).parameters)
        assert not parameters & {"person", "case", "request", "address", "given_at", "when"}
