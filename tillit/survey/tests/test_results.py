"""The results worked out by hand: suppression, the share and its denominator, the previous
year, the municipality and the response rate."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tillit.conftest import client_for
from tillit.factories import CaseFactory, PersonFactory, UnitFactory
from tillit.survey import results
from tillit.survey.models import DONT_KNOW, NO_HELP, Question
from tillit.survey.tests.data import TODAY, answers, ended_period, make_period

LAST = TODAY.year - 1


@pytest.fixture
def questions(db):
    return list(Question.objects.filter(questionnaire__key="annual").order_by("order"))


def _year(units, questions, year=LAST):  # type: ignore[no-untyped-def]
    return results.year_results(year, units, questions, before=TODAY)


def _row(found, unit, key):  # type: ignore[no-untyped-def]
    unit_year = next(u for u in found.units if u.unit == unit)
    return next(r for r in unit_year.rows if r.question.key == key)


def test_share_is_the_top_two_steps_over_the_four_steps():
    share = results.Share.of(
        __import__("collections").Counter({4: 5, 3: 4, 2: 2, 1: 1, DONT_KNOW: 3, NO_HELP: 2})
    )
    assert (share.positive, share.counted, share.dont_know, share.no_help) == (9, 12, 3, 2)
    assert share.percent == 75  # 9 / 12, not 9 / 17


def test_nine_answers_are_hidden_ten_are_shown(unit, leader, questions):
    period = ended_period(unit, leader)
    answers(period, 9, respect=4)

    found = _year([unit], questions)
    assert found.units[0].responses == 9
    assert not found.units[0].shown
    assert _row(found, unit, "respect").share is None  # nothing of a hidden unit
    assert _row(found, unit, "respect").percent is None

    answers(period, 1, respect=1)
    found = _year([unit], questions)
    assert found.units[0].shown
    assert _row(found, unit, "respect").percent == 90
    assert _row(found, unit, "respect").share.counted == 10


def test_a_question_with_nine_answers_on_the_four_steps_is_hidden(unit, leader, questions):
    period = ended_period(unit, leader)
    answers(period, 9, respect=4, change=3)
    answers(period, 3, respect=2, change=NO_HELP)  # 12 answered; change has 9 on the steps

    found = _year([unit], questions)

    assert _row(found, unit, "respect").percent == 75  # 9 of 12
    change = _row(found, unit, "change")
    assert change.share.counted == 9 and change.share.no_help == 3
    assert change.percent is None


def test_dont_know_and_no_help_are_left_out_of_the_denominator(unit, leader, questions):
    period = ended_period(unit, leader)
    answers(period, 6, satisfied=4)
    answers(period, 4, satisfied=2)
    answers(period, 5, satisfied=DONT_KNOW)
    answers(period, 5, satisfied=NO_HELP)

    row = _row(_year([unit], questions), unit, "satisfied")

    assert row.share.counted == 10
    assert row.percent == 60


def test_compared_with_the_previous_year_and_the_municipality(
    unit, other_unit, leader, other_leader, questions
):
    small = UnitFactory(name="Liten enhet")
    before = ended_period(unit, leader, LAST - 1)
    answers(before, 10, respect=4)
    answers(before, 10, respect=1)  # 50 % the year before
    mine = ended_period(unit, leader)
    answers(mine, 8, respect=4)
    answers(mine, 2, respect=2)  # 80 %
    theirs = ended_period(other_unit, other_leader)
    answers(theirs, 5, respect=3)
    answers(theirs, 15, respect=1)  # 25 %
    hidden = ended_period(small, leader)
    answers(hidden, 9, respect=1)  # hidden: left out of the municipality

    found = _year([unit, small], questions)
    row = _row(found, unit, "respect")

    assert row.percent == 80
    assert row.last_year == 50
    assert row.municipality == round(100 * (8 + 5) / (10 + 20))  # 43, not (13 / 39)
    assert found.responses == 10 + 20 + 9  # every unit's answers are counted
    assert _row(found, small, "respect").percent is None


def test_the_previous_year_is_hidden_when_it_had_too_few(unit, leader, questions):
    answers(ended_period(unit, leader, LAST - 1), 9, respect=4)
    answers(ended_period(unit, leader), 10, respect=4)

    assert _row(_year([unit], questions), unit, "respect").last_year is None


def test_a_running_period_does_not_count_until_it_ends(unit, leader, questions):
    running = make_period(unit, leader, starts_on=TODAY - datetime.timedelta(days=3))
    answers(running, 12, respect=4)

    found = _year([unit], questions, year=running.year)

    assert found.units[0].responses == 0


def test_the_response_rate_counts_persons_with_a_case_open_during_the_period(unit, leader):
    period = ended_period(unit, leader)
    first, last = period.starts_on, period.ends_on
    day = datetime.timedelta(days=1)
    twice = PersonFactory()
    CaseFactory(person=twice, unit=unit, opened_on=first - 100 * day)  # open throughout
    CaseFactory(person=twice, unit=unit, opened_on=first + day)  # the same person again
    CaseFactory(unit=unit, opened_on=last)  # opened on the last day
    CaseFactory(
        unit=unit, opened_on=first - 50 * day, closed_on=first, status="closed"
    )  # closed on the first day
    CaseFactory(
        unit=unit, opened_on=first - 50 * day, closed_on=first - day, status="closed"
    )  # closed the day before: not a client of the period
    CaseFactory(unit=unit, opened_on=last + day)  # opened the day after
    CaseFactory(unit=UnitFactory(), opened_on=first)  # another unit

    assert results.clients_in(unit.pk, [(first, last)]) == 3

    answers(period, 1, respect=4)
    unit_year = results.year_results(period.year, [unit], [], before=TODAY).units[0]
    assert (unit_year.responses, unit_year.clients, unit_year.rate) == (1, 3, 33)


def test_free_text_is_shown_only_from_ten_answers(unit, leader, client):
    from tillit.survey.tests.data import answer

    period = ended_period(unit, leader)
    answer(period, "Bra bemötande i receptionen.", respect=4)
    answers(period, 8, respect=4)
    url = reverse("survey:results") + f"?unit={unit.pk}&year={LAST}"

    page = client_for(leader).get(url).content.decode()
    assert "Bra bemötande" not in page

    answer(period, "", respect=3)
    page = client_for(leader).get(url).content.decode()
    assert "Bra bemötande i receptionen." in page
