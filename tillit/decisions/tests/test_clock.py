"""The execution clock (verkställighet): a granted decision not carried out three months
after it was made is on the unit's list, with how long it has waited and why; the periods
still open on a case; and the quarter's report to IVO, by pseudo-identity."""

from __future__ import annotations

import csv
import datetime
import io

from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog, Listed
from tillit.conftest import client_for
from tillit.decisions import queries
from tillit.decisions.models import Decision
from tillit.decisions.tests.data import decision
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.lib import ids

TODAY = datetime.date(2026, 6, 15)


def days_ago(n: int, today: datetime.date = TODAY) -> datetime.date:
    return today - datetime.timedelta(days=n)


def test_three_months_are_calendar_months():
    assert queries.months_before(datetime.date(2026, 5, 31)) == datetime.date(2026, 2, 28)
    assert queries.months_before(datetime.date(2026, 2, 15)) == datetime.date(2025, 11, 15)
    assert queries.months_after(datetime.date(2025, 11, 30)) == datetime.date(2026, 2, 28)
    assert queries.quarter_bounds(2026, 4) == (
        datetime.date(2026, 10, 1),
        datetime.date(2026, 12, 31),
    )
    assert queries.previous_quarter(datetime.date(2026, 2, 1)) == (2025, 4)


def test_waiting_is_granted_signed_in_force_and_not_carried_out(case, worker, unit):
    exactly = decision(case, worker, state="signed", on=datetime.date(2026, 3, 15))
    late = decision(case, worker, state="signed", on=datetime.date(2026, 3, 14))
    decision(case, worker, state="signed", on=days_ago(200), outcome="refused")
    carried = decision(case, worker, state="signed", on=days_ago(200))
    Decision.objects.filter(pk=carried.pk).update(carried_out_on=days_ago(10))
    decision(case, worker, on=days_ago(200))  # a draft
    # The clock starts on the day the help was to begin, if that is later.
    later_start = decision(case, worker, state="signed", on=days_ago(200), starts_on=days_ago(30))
    replaced = decision(case, worker, state="signed", on=days_ago(150))
    decision(case, worker, state="signed", on=days_ago(100), replaces=replaced)
    found = set(queries.waiting([unit.pk], TODAY))
    assert late in found and exactly not in found and later_start not in found
    assert replaced not in found and carried not in found
    assert all(d.outcome in ("granted", "partly") and d.is_signed for d in found)
    assert not queries.waiting([unit.pk + 1000], TODAY).exists()


def test_open_periods(case, worker):
    today = timezone.localdate()
    open_ended = decision(case, worker, state="signed")
    ends_today = decision(case, worker, state="signed", ends_on=today)
    ended = decision(
        case,
        worker,
        state="signed",
        starts_on=today - datetime.timedelta(days=9),
        ends_on=today - datetime.timedelta(days=1),
    )
    refused = decision(case, worker, state="signed", outcome="refused")
    draft = decision(case, worker)
    assert set(queries.open_periods(case, today)) == {open_ended, ends_today}
    # Ended early by a new decision: once signed, the old period is no longer open.
    early = decision(case, worker, replaces=open_ended, ends_on=today - datetime.timedelta(days=1))
    assert open_ended in queries.open_periods(case, today)
    from tillit.decisions.services import decision_sign

    decision_sign(actor=worker, decision=early)
    assert set(queries.open_periods(case, today)) == {ends_today}
    assert ended not in queries.open_periods(case, today) and refused and draft


def test_the_leaders_list_of_decisions_waiting(case, worker, leader, person, unit):
    today = timezone.localdate()
    waiting = decision(case, worker, state="signed", on=today - datetime.timedelta(days=120))
    decision(case, worker, state="signed", on=today - datetime.timedelta(days=10))
    # The worker says why, on the decision.
    client_for(worker).post(
        reverse("decisions:delay", args=[waiting.pk]), {"delay_reason": "Ingen ledig plats"}
    )
    assert Decision.objects.get(pk=waiting.pk).delay_reason == "Ingen ledig plats"
    response = client_for(leader).get(reverse("decisions:waiting", args=[unit.pk]))
    assert response.status_code == 200
    assert [d.pk for d in response.context["rows"]] == [waiting.pk]
    assert response.context["rows"][0].days == 120
    page = response.content.decode()
    assert person.full_name in page and "Ingen ledig plats" in page and ">120<" in page
    row = AccessLog.objects.latest("id")
    assert row.detail == {"page": "decisions_waiting"} and row.user == leader
    assert list(Listed.objects.filter(log=row).values_list("person_id", flat=True)) == [person.pk]


def test_the_list_is_for_the_units_leaders(case, worker, colleague, outsider, other_leader, unit):
    before = AccessLog.objects.count()
    for user, status in [(worker, 403), (colleague, 403), (outsider, 404), (other_leader, 404)]:
        for name in ("decisions:waiting", "decisions:ivo"):
            response = client_for(user).get(
                reverse(name, args=[unit.pk]), {"year": 2026, "quarter": 1}
            )
            assert response.status_code == status
    assert AccessLog.objects.count() == before


def test_a_protected_client_is_on_the_list_only_for_staff_named_on_them(worker, leader, unit):
    person = PersonFactory(first_name="Hemligsdotter", protected_identity=True)
    case = CaseFactory(person=person, unit=unit)
    AssignmentFactory(case=case, worker=worker)
    today = timezone.localdate()
    decision(case, worker, state="signed", on=today - datetime.timedelta(days=120))
    page = client_for(leader).get(reverse("decisions:waiting", args=[unit.pk])).content.decode()
    assert "Hemligsdotter" not in page
    quarter = queries.previous_quarter(today + datetime.timedelta(days=92))
    response = client_for(leader).get(
        reverse("decisions:ivo", args=[unit.pk]), {"year": quarter[0], "quarter": quarter[1]}
    )
    assert _rows(response) == []
    person.named_staff.add(leader)
    page = client_for(leader).get(reverse("decisions:waiting", args=[unit.pk])).content.decode()
    assert "Hemligsdotter" in page


# -- the report to IVO --------------------------------------------------------------------


def _person(serial: int, birth: str = "19850317", **kwargs):  # type: ignore[no-untyped-def]
    return PersonFactory(id_number=ids.make_swedish(birth, serial), **kwargs)


def test_the_pseudo_identity(db):
    woman = _person(482)  # 9th digit 2: even, a woman
    man = _person(471)  # 9th digit 1: odd, a man
    assert queries.pseudo_identity(woman) == f"19850317-T{woman.pk % 100:02d}2"
    assert queries.pseudo_identity(man) == f"19850317-T{man.pk % 100:02d}1"
    # A samordningsnummer: the day of birth less 60.
    coordination = PersonFactory(id_number="19850377-4836")
    assert queries.pseudo_identity(coordination).startswith("19850317-T")
    assert queries.pseudo_identity(coordination).endswith("1")  # 9th digit 3: a man
    norwegian = PersonFactory(id_country=ids.NORWAY, id_number=ids.make_norwegian("170385", 123))
    assert queries.pseudo_identity(norwegian) == ""


def _rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))[1:]


def test_the_quarters_report_to_ivo(leader, worker, unit):
    woman = _person(482, first_name="Anna", last_name="Andersson")
    man = _person(471, first_name="Bo", last_name="Berg")
    cases = []
    for person in (woman, man):
        case = CaseFactory(person=person, unit=unit)
        AssignmentFactory(case=case, worker=worker)
        cases.append(case)
    # Q1 2026 (1 January - 31 March).
    not_carried = decision(
        cases[0], worker, state="signed", on=datetime.date(2025, 11, 20), kind="housing"
    )
    Decision.objects.filter(pk=not_carried.pk).update(delay_reason='=HYPERLINK("http://x")')
    late = decision(cases[1], worker, state="signed", on=datetime.date(2025, 10, 1))
    Decision.objects.filter(pk=late.pk).update(carried_out_on=datetime.date(2026, 2, 10))
    on_time = decision(cases[1], worker, state="signed", on=datetime.date(2025, 12, 20))
    Decision.objects.filter(pk=on_time.pk).update(carried_out_on=datetime.date(2026, 2, 10))
    decision(cases[1], worker, state="signed", on=datetime.date(2026, 1, 5))  # not 3 months yet

    client = client_for(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("decisions:ivo", args=[unit.pk]), {"year": 2026, "quarter": 1})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "ivo-" in response["Content-Disposition"]
    rows = _rows(response)
    assert [r[0] for r in rows] == [
        f"19850317-T{man.pk % 100:02d}1",
        f"19850317-T{woman.pk % 100:02d}2",
    ]
    late_row, waiting_row = rows
    assert late_row[2] == "2025-10-01" and late_row[7] == "2026-02-10" and late_row[8] == "132"
    assert waiting_row[2] == "2025-11-20" and waiting_row[4] == "Housing" and waiting_row[7] == ""
    assert waiting_row[8] == str((datetime.date(2026, 3, 31) - datetime.date(2025, 11, 20)).days)
    assert waiting_row[9] == '\'=HYPERLINK("http://x")'  # safe from spreadsheet formulas
    body = response.content.decode("utf-8-sig")
    for name in ("Anna", "Andersson", "Bo", "Berg", woman.id_number, man.id_number):
        assert name not in body
    row = AccessLog.objects.latest("id")
    assert (row.action, row.user, row.unit_id) == ("export", leader, unit.pk)
    assert row.detail == {"page": "ivo_report", "year": 2026, "quarter": 1}
    assert set(Listed.objects.filter(log=row).values_list("person_id", flat=True)) == {
        woman.pk,
        man.pk,
    }


def test_a_quarter_not_begun_or_garbage_is_a_form_error(leader, unit):
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    before = AccessLog.objects.count()
    later = timezone.localdate().year + 1
    for query in ({"year": later, "quarter": 1}, {"year": "x", "quarter": 9}, {}):
        response = client.get(reverse("decisions:ivo", args=[unit.pk]), query)
        assert response.status_code == 400
        assert 'class="error"' in response.content.decode()
    assert (
        "Choose a quarter that has begun."
        in client.get(
            reverse("decisions:ivo", args=[unit.pk]), {"year": later, "quarter": 1}
        ).content.decode()
    )
    assert AccessLog.objects.count() == before
