"""The demo's survey: enough answers in two units, too few in the intake unit."""

from __future__ import annotations

from tillit.factories import UnitFactory, UserFactory
from tillit.org.models import Role
from tillit.survey import demo, results
from tillit.survey.models import Period, Question, Response
from tillit.survey.tests.data import TODAY


def test_the_demo_shows_two_units_and_hides_one(db):
    units = [UnitFactory(name=name) for name in demo.UNITS]
    for unit in units:
        UserFactory.member(unit, Role.TEAM_LEADER)
        UserFactory.member(unit, Role.WORKER)

    demo.load_demo()
    demo.load_demo()  # a second call adds nothing

    questions = list(Question.objects.filter(questionnaire__key="annual"))
    found = results.year_results(TODAY.year - 1, units, questions, before=TODAY)
    shown = {u.unit.name: u.shown for u in found.units}
    assert shown == {
        "Öppenvården vuxna": True,
        "Utredningsgruppen vuxna": True,
        "Mottagningen": False,
    }
    assert Period.objects.filter(starts_on__lte=TODAY, ends_on__gte=TODAY).count() == 3
    outpatient = next(u for u in found.units if u.unit.name == "Öppenvården vuxna")
    assert any(row.percent is not None for row in outpatient.rows)
    assert {row.last_year for row in outpatient.rows} == {None}  # no year before that
    texts = list(Response.objects.exclude(free_text="").values_list("free_text", flat=True))
    assert texts and not any("Anna" in t or "Lena" in t for t in texts)
