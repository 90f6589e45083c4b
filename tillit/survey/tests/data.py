"""Survey periods and answers for the tests, written straight to the tables (a period in
the past cannot be opened through the service, and answers are many)."""

from __future__ import annotations

import datetime
import secrets

from django.utils import timezone

from tillit.survey.models import Answer, Channel, Period, Question, Response
from tillit.survey.services import default_questionnaire

TODAY = timezone.localdate()


def make_period(unit, leader, *, starts_on=None, ends_on=None) -> Period:  # type: ignore[no-untyped-def]
    starts_on = starts_on or TODAY - datetime.timedelta(days=5)
    return Period.objects.create(
        unit=unit,
        questionnaire=default_questionnaire(),
        starts_on=starts_on,
        ends_on=ends_on or starts_on + datetime.timedelta(days=20),
        code=f"T-{secrets.token_hex(4).upper()}",
        token=secrets.token_urlsafe(24),
        opened_by=leader,
    )


def ended_period(unit, leader, year: int | None = None) -> Period:  # type: ignore[no-untyped-def]
    """A three-week period that has ended: in September of `year` (last year if none)."""
    year = year or TODAY.year - 1
    first = datetime.date(year, 9, 1)
    if first + datetime.timedelta(days=20) >= TODAY:
        first = TODAY - datetime.timedelta(days=30)
    return make_period(unit, leader, starts_on=first)


def answer(period: Period, free_text: str = "", channel: str = Channel.PHONE, **values: int):  # type: ignore[no-untyped-def]
    """One client's answers: `values` by question key."""
    questions = {q.key: q for q in Question.objects.filter(questionnaire=period.questionnaire)}
    response = Response.objects.create(period=period, channel=channel, free_text=free_text)
    Answer.objects.bulk_create(
        Answer(response=response, question=questions[key], value=v) for key, v in values.items()
    )
    return response


def answers(period: Period, n: int, **values: int) -> None:
    for _ in range(n):
        answer(period, **values)


def url_objects(unit, leader) -> dict:  # type: ignore[no-untyped-def]
    """What the URL walk (tillit/tests/test_urls.py) opens: a running period of the unit."""
    return {"survey_period": make_period(unit, leader)}
