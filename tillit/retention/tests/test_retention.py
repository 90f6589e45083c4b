"""Retention (gallring): the rules, the dry run, the removal and what it leaves behind."""

from __future__ import annotations

import datetime
import io
import itertools
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tillit.audit.models import AccessLog, Listed
from tillit.clients.models import Case, CaseStatus, JournalEntry, Person, SignedEntryError
from tillit.factories import CaseFactory, EntryFactory, PersonFactory, UnitFactory, UserFactory
from tillit.feedback.models import Alert, Instrument, Response
from tillit.lib import ids
from tillit.org.models import Role, User
from tillit.plans.models import Plan
from tillit.retention import services
from tillit.retention.models import LegalHold, RetentionRecord, RetentionRule

TODAY = datetime.date(2026, 6, 15)


SERIALS = itertools.count(1)


def person_born(day: int) -> Person:
    return PersonFactory(id_number=ids.make_swedish(f"198001{day:02d}", next(SERIALS) % 1000))


def closed_file(
    person: Person | None = None,
    *,
    days_ago: int,
    unit=None,  # type: ignore[no-untyped-def]
    author=None,  # type: ignore[no-untyped-def]
) -> Case:
    """A closed case whose last entry (signed) and closing were `days_ago` before TODAY."""
    last = TODAY - datetime.timedelta(days=days_ago)
    case = CaseFactory(
        person=person or person_born(3),
        unit=unit or UnitFactory(),
        opened_on=last - datetime.timedelta(days=200),
        closed_on=last,
        status=CaseStatus.CLOSED,
    )
    at = timezone.make_aware(datetime.datetime.combine(last, datetime.time(10)))
    author = author or UserFactory()
    first = EntryFactory(case=case, author=author, happened_at=at, created_at=at, signed=True)
    # A correction, so that the versions point at each other (on_delete=PROTECT).
    EntryFactory(
        case=case,
        author=author,
        happened_at=at,
        created_at=at,
        signed=True,
        replaces=first,
        thread=first,
        version=2,
        correction_reason="wrong date",
    )
    return case


def five_years_ago(days: int = 0) -> int:
    """Days before TODAY that lie five years plus `days` back."""
    return (TODAY - services.add_years(TODAY, -5)).days + days


def test_defaults_are_swedish_with_the_exceptions_as_data(db):
    in_force = RetentionRule.objects.filter(active=True)
    assert {rule.country for rule in in_force} == {"se"}
    default = in_force.get(is_default=True)
    assert (default.years, default.by_end_of_next_year) == (5, True)
    assert default.birth_days() == {5, 15, 25}
    forever = {rule.key for rule in in_force if rule.keep_forever}
    assert forever == {"se-paternity", "se-adoption", "se-child-placement"}
    norwegian = RetentionRule.objects.get(key="no-personal-file")
    assert (norwegian.active, norwegian.years, norwegian.removes) == (False, None, False)


def test_a_file_goes_five_years_after_its_last_entry_not_a_day_before(db):
    young = closed_file(days_ago=five_years_ago(-1))
    due = closed_file(days_ago=five_years_ago())
    forecast = services.plan(TODAY)
    assert [d.case_id for d in forecast.due] == [due.pk]
    assert forecast.due[0].deadline == datetime.date(TODAY.year + 1, 12, 31)
    assert forecast.kept["young"] == 1
    services.remove(TODAY)
    assert not JournalEntry.objects.filter(case=due).exists()
    assert JournalEntry.objects.filter(case=young).count() == 2


def test_research_days_unknown_births_and_kinds_never_removed_are_kept(db):
    for day in (5, 15, 25):
        closed_file(person_born(day), days_ago=4000)
    no_number = PersonFactory(id_country="", id_number="", no_id_reason="unknown")
    closed_file(no_number, days_ago=4000)
    paternity_unit = UnitFactory(name="Familjerätten")
    RetentionRule.objects.get(key="se-paternity").units.add(paternity_unit)
    closed_file(days_ago=4000, unit=paternity_unit)
    forecast = services.plan(TODAY)
    assert forecast.due == []
    assert forecast.kept == {"research": 3, "birth_unknown": 1, "forever": 1}


def test_a_norwegian_time_applies_once_the_archive_plan_is_entered(db):
    RetentionRule.objects.update(active=False)
    rule = RetentionRule.objects.get(key="no-personal-file")
    rule.active = True
    rule.save()
    case = closed_file(days_ago=4000)
    assert services.plan(TODAY).kept == {"no_time": 1}
    rule.years = 12
    rule.save()
    assert services.plan(TODAY).kept == {"young": 1}
    rule.years = 5
    rule.save()
    assert [d.case_id for d in services.plan(TODAY).due] == [case.pk]


def test_the_file_goes_whole_or_not_at_all(db):
    person = person_born(3)
    unit = UnitFactory()
    closed_file(person, days_ago=4000, unit=unit)
    recent = closed_file(person, days_ago=10, unit=unit)
    # The recent case's entry is the file's last: nothing of it is due.
    assert services.plan(TODAY).kept == {"young": 2}
    recent.status, recent.closed_on = CaseStatus.ASSESSMENT, None
    recent.save()
    assert services.plan(TODAY).kept == {"open_case": 2}


def test_removal_keeps_the_access_log_and_leaves_tombstones(db, client):
    leader_unit = UnitFactory()
    leader = UserFactory.member(leader_unit, Role.TEAM_LEADER)
    person = person_born(3)
    person.last_name = "Vinterström"
    person.save()
    case = closed_file(person, days_ago=4000, unit=leader_unit)
    log = AccessLog.objects.create(
        user=leader, person=person, case=case, unit=leader_unit, action="read"
    )
    client.force_login(leader)
    assert "Vinterström" in client.get("/log/").content.decode()
    Listed.objects.create(log=log, person=person)
    entry_ids = list(JournalEntry.objects.filter(case=case).values_list("pk", flat=True))

    run = services.remove(TODAY, run_by="archivist")
    connection.check_constraints()

    assert run is not None and run.finished_at
    assert not JournalEntry.objects.filter(pk__in=entry_ids).exists()
    record = RetentionRecord.objects.get(case_id=case.pk)
    assert (record.rule_key, record.years, record.person_removed) == ("se-personal-file", 5, True)
    assert record.removed["case"]["clients.JournalEntry"] == 2
    assert record.last_entry_on == TODAY - datetime.timedelta(days=4000)
    # The log and what it points at are still there, with nothing left to identify anyone.
    assert AccessLog.objects.filter(pk=log.pk, person=person, case=case).exists()
    assert Listed.objects.filter(log=log).exists()
    person.refresh_from_db()
    assert (person.first_name, person.last_name, person.id_number) == ("", "", "")
    tomb = Case.objects.get(pk=case.pk)
    assert (tomb.status, tomb.origin_text, tomb.removed_on) == (CaseStatus.CLOSED, "", TODAY)
    # Log review still lists the look, and names no one.
    review = client.get("/log/").content.decode()
    assert "Vinterström" not in review
    # The tombstone is on no page: the client's page is gone, even for the unit's leader.
    assert client.get(f"/clients/{person.pk}/").status_code == 404
    # (no link to a client's page; the navigation's search is /clients/search/)
    assert not re.search(r"/clients/\d", client.get(f"/units/{leader_unit.pk}/").content.decode())
    # A second run removes nothing more.
    assert services.remove(TODAY) is None
    assert services.plan(TODAY).due == []


def test_a_person_with_a_file_left_keeps_their_name(db):
    person = person_born(3)
    paternity_unit = UnitFactory()
    RetentionRule.objects.get(key="se-paternity").units.add(paternity_unit)
    kept = closed_file(person, days_ago=4000, unit=paternity_unit)
    gone = closed_file(person, days_ago=4000)
    services.remove(TODAY)
    person.refresh_from_db()
    assert person.last_name
    assert JournalEntry.objects.filter(case=kept).count() == 2
    assert not JournalEntry.objects.filter(case=gone).exists()
    assert RetentionRecord.objects.get(case_id=gone.pk).person_removed is False


def test_a_signed_entry_is_still_refused_everywhere_else(db):
    case = closed_file(days_ago=10)
    entry = JournalEntry.objects.filter(case=case).first()
    with pytest.raises(SignedEntryError):
        entry.delete()


def test_only_the_retention_service_deletes_rows_behind_the_models_back():
    tillit = Path(__file__).resolve().parents[2]
    users = [
        path.relative_to(tillit).as_posix()
        for path in tillit.rglob("*.py")
        if "_raw_delete(" in path.read_text(encoding="utf-8") and "tests" not in path.parts
    ]
    assert users == ["retention/services.py"]


def test_the_dry_run_reports_and_writes_nothing(db):
    unit = UnitFactory(name="Öppenvården")
    closed_file(days_ago=4000, unit=unit)
    closed_file(days_ago=5000, unit=unit)
    closed_file(person_born(15), days_ago=4000, unit=unit)
    out = io.StringIO()
    before = JournalEntry.objects.count()
    call_command("retention", "--dry-run", stdout=out)
    text = out.getvalue()
    # Against the real date: both old files are due then as well.
    assert re.search(r"Öppenvården: \w+: 2, \w+: 4,", text), text
    assert str(TODAY - datetime.timedelta(days=5000)) in text
    assert JournalEntry.objects.count() == before
    assert not RetentionRecord.objects.exists()


def test_the_dry_run_speaks_swedish_and_norwegian(db, settings):
    closed_file(days_ago=4000)
    for language, word in (("sv", "ärenden"), ("nb", "saker")):
        settings.LANGUAGE_CODE = language
        out = io.StringIO()
        call_command("retention", "--dry-run", stdout=out)
        assert word in out.getvalue()


def test_a_legal_hold_placed_and_lifted_by_the_command(db):
    case = closed_file(days_ago=4000)
    call_command(
        "retention", "--hold", str(case.pk), "--reason", "Appeal at the court", stdout=io.StringIO()
    )
    hold = LegalHold.objects.get(case=case)
    assert services.plan(TODAY).kept == {"hold": 1}
    call_command("retention", "--lift", str(hold.pk), stdout=io.StringIO())
    assert [d.case_id for d in services.plan(TODAY).due] == [case.pk]


def test_the_admin_registers_the_rules_and_no_client_data(admin_client):
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    assert "retention.RetentionRule" in registered
    assert not registered & {
        "retention.LegalHold",
        "retention.RetentionRecord",
        "retention.RetentionRun",
    }
    assert admin_client.get("/admin/retention/retentionrule/").status_code == 200


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_demo_municipality_ten_years_on():
    """Every kind of record the demo has, removed and committed (foreign keys are checked at
    commit), with the pages showing nothing of it."""
    call_command("seed_demo", stdout=io.StringIO())
    later = services.add_years(timezone.localdate(), 10)
    closed = list(Case.objects.filter(status=CaseStatus.CLOSED))
    texts = list(JournalEntry.objects.filter(case__in=closed).values_list("text", flat=True)[:20])
    forecast = services.plan(later)
    assert forecast.due
    run = services.remove(later)
    assert run is not None
    assert RetentionRecord.objects.count() == len(forecast.due)
    gone = {d.case_id for d in forecast.due}
    assert not JournalEntry.objects.filter(case_id__in=gone).exists()
    assert services.remove(later) is None
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username="lena"))
    for due in forecast.due[:5]:
        body = client.get(f"/clients/{due.person_id}/").content.decode()
        assert not any(text[:40] in body for text in texts)


# --- Properties (hypothesis) ------------------------------------------------------------

case_strategy = st.fixed_dictionaries(
    {
        "days_ago": st.integers(min_value=0, max_value=4000),
        "closed": st.booleans(),
        "alert": st.booleans(),
        "plan": st.booleans(),
        "hold": st.booleans(),
    }
)
file_strategy = st.fixed_dictionaries(
    {
        "birth_day": st.integers(min_value=1, max_value=28),
        "cases": st.lists(case_strategy, min_size=1, max_size=3),
    }
)


def _build(files: list[dict]) -> list[tuple[dict, list[tuple[Case, dict]]]]:
    unit = UnitFactory()
    author = UserFactory()
    instrument = Instrument.objects.first()
    built = []
    for file in files:
        person = person_born(file["birth_day"])
        cases = []
        for spec in file["cases"]:
            case = closed_file(person, days_ago=spec["days_ago"], unit=unit, author=author)
            if not spec["closed"]:
                Case.objects.filter(pk=case.pk).update(
                    status=CaseStatus.INTERVENTION, closed_on=None
                )
            if spec["hold"]:
                services.hold_place(case, "a complaint", "test")
            if spec["plan"]:
                Plan.objects.create(case=case, kind="care", created_by=author)
            if spec["alert"] and instrument:
                entry = JournalEntry.objects.filter(case=case).first()
                response = Response.objects.create(
                    person=person,
                    case=case,
                    entry=entry,
                    instrument=instrument,
                    channel="meeting",
                    given_on=TODAY,
                    score=1,
                )
                Alert.objects.create(person=person, case=case, response=response, rule="below")
            cases.append((case, spec))
        built.append((file, cases))
    return built


def _may_go(file: dict) -> bool:
    """The rule, written out again: the whole file is closed, free, not a research birth day,
    and five years old."""
    latest = max(TODAY - datetime.timedelta(days=spec["days_ago"]) for spec in file["cases"])
    return (
        all(s["closed"] and not (s["alert"] or s["plan"] or s["hold"]) for s in file["cases"])
        and file["birth_day"] not in (5, 15, 25)
        and services.add_years(latest, 5) <= TODAY
    )


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(files=st.lists(file_strategy, min_size=1, max_size=4))
def test_property_only_what_is_due_goes_and_only_once(files):
    with transaction.atomic():
        built = _build(files)
        services.remove(TODAY, batch_size=2)
        removed = set(RetentionRecord.objects.values_list("case_id", flat=True))
        for file, cases in built:
            for case, _spec in cases:
                gone = case.pk in removed
                # Nothing younger than its rule, nor anything held, alerted or planned, goes;
                # and what is due does go.
                assert gone == _may_go(file), (file, case.pk)
                assert gone != JournalEntry.objects.filter(case=case).exists()
        connection.check_constraints()
        # Running it twice removes nothing more.
        assert services.remove(TODAY) is None
        assert set(RetentionRecord.objects.values_list("case_id", flat=True)) == removed
        transaction.set_rollback(True)
