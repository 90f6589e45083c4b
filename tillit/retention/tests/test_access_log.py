"""Retention of the access log (tillit/retention/access_log.py): at least five years, never
less than the record it describes, only sealed days, through the log's one gate, with the
chain still verifying after; on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tillit.audit import chain
from tillit.audit.models import AccessLog, Listed, Removal, RemovedRow, Sample, SampleItem
from tillit.factories import UnitFactory, UserFactory
from tillit.retention import access_log, services
from tillit.retention.models import RetentionRule
from tillit.retention.tests.test_retention import TODAY, closed_file, person_born

# Five years before TODAY, written out again rather than asked of the code under test.
CUT = timezone.make_aware(datetime.datetime(TODAY.year - 5, TODAY.month, TODAY.day))
DAY = datetime.timedelta(days=1)


def row(at: datetime.datetime, *, user, person=None, case=None, listed=()) -> AccessLog:  # type: ignore[no-untyped-def]
    log = AccessLog.objects.create(at=at, user=user, person=person, case=case, action="read")
    Listed.objects.bulk_create(Listed(log=log, person=p) for p in listed)
    return log


@pytest.fixture
def records(db):
    """A file removed with its person; a person with a file removed and one kept for ever
    (paternity); a person whose file is young."""
    emptied = person_born(3)
    gone = closed_file(emptied, days_ago=4000)
    half = person_born(4)
    paternity = UnitFactory(name="Familjerätten")
    RetentionRule.objects.get(key="se-paternity").units.add(paternity)
    kept_forever = closed_file(half, days_ago=4000, unit=paternity)
    half_gone = closed_file(half, days_ago=4000)
    young = closed_file(days_ago=10)
    services.remove(TODAY)
    return {
        "emptied": emptied,
        "gone": gone,
        "half": half,
        "kept_forever": kept_forever,
        "half_gone": half_gone,
        "young": young,
        "user": UserFactory(),
    }


def removed_ids() -> set[int]:
    return set(RemovedRow.objects.values_list("log_id", flat=True))


def test_only_old_rows_whose_records_are_gone_go(records, capsys):
    r, user = records, records["user"]
    old = CUT - DAY
    goes = [
        row(old, user=user, person=r["emptied"], case=r["gone"]),
        row(old, user=user, person=r["half"], case=r["half_gone"]),  # its case is gone
        row(old, user=user, person=r["emptied"]),
        row(old, user=user),  # a security event
        row(CUT - datetime.timedelta(microseconds=1), user=user),
        row(old, user=user, listed=[r["emptied"]]),
    ]
    stays = [
        row(CUT, user=user),  # five years old only tomorrow
        row(CUT + DAY, user=user, person=r["emptied"], case=r["gone"]),
        row(old, user=user, person=r["half"], case=r["kept_forever"]),
        row(old, user=user, person=r["half"]),  # a file of the person is kept
        row(old, user=user, person=r["young"].person, case=r["young"]),
        row(old, user=user, listed=[r["emptied"], r["half"]]),
    ]
    sample = Sample.objects.create(
        unit=r["gone"].unit, month=old.date().replace(day=1), seed=1, size=1, population=1
    )
    sampled = SampleItem.objects.create(sample=sample, log=goes[0], verdict="expected")
    chain.seal(CUT.date() + 3 * DAY)

    forecast = access_log.plan(TODAY, 5)
    assert (forecast.due, forecast.record_kept, forecast.not_sealed) == (6, 4, 0)
    assert forecast.oldest == old

    assert access_log.remove(TODAY, batch_size=4) == 6

    assert removed_ids() == {log.pk for log in goes}
    assert set(AccessLog.objects.values_list("pk", flat=True)) >= {log.pk for log in stays}
    assert Removal.objects.count() == 2 and not Removal.objects.filter(open=True).exists()
    assert not Listed.objects.filter(log_id=goes[-1].pk).exists()
    sampled.refresh_from_db()
    assert (sampled.log_id, sampled.verdict) == (None, "expected")  # the verdict stays
    call_command("audit_verify")
    assert capsys.readouterr().out.startswith("OK")
    # Running it again removes nothing more.
    assert access_log.remove(TODAY) == 0
    assert access_log.plan(TODAY, 5).due == 0


def test_rows_of_days_not_sealed_yet_are_kept_and_counted(records):
    user = records["user"]
    sealed = row(CUT - 10 * DAY, user=user)
    unsealed = [row(CUT - 2 * DAY, user=user), row(CUT - DAY, user=user)]
    chain.seal(CUT.date() - 5 * DAY)
    forecast = access_log.plan(TODAY, 5)
    assert (forecast.due, forecast.not_sealed) == (1, 2)
    assert access_log.remove(TODAY) == 1
    assert removed_ids() == {sealed.pk}
    assert AccessLog.objects.filter(pk__in=[u.pk for u in unsealed]).count() == 2
    assert chain.verify()[0] is None


def test_a_longer_time_keeps_more_and_a_shorter_one_is_refused(records, settings):
    settings.LANGUAGE_CODE = "en"
    user = records["user"]
    row(CUT - DAY, user=user)
    chain.seal(CUT.date())
    assert access_log.plan(TODAY, 6).due == 0
    assert access_log.remove(TODAY, 6) == 0
    with pytest.raises(ValueError):
        access_log.remove(TODAY, 4)
    with pytest.raises(CommandError, match="at least 5 years"):
        call_command("retention", "--dry-run", "--log-years", "4", stdout=io.StringIO())


def test_the_dry_run_counts_the_rows_of_the_files_the_same_run_removes(db, settings):
    """Against the real date, as the command runs: a file due now, and its old log rows,
    which the real run removes after the file; the dry run says so beforehand."""
    settings.LANGUAGE_CODE = "en"
    today = timezone.localdate()
    cut = timezone.make_aware(datetime.datetime(today.year - 5, today.month, today.day))
    user = UserFactory()
    person = person_born(3)
    case = closed_file(person, days_ago=(TODAY - today).days + 4000)
    rows = [
        row(cut - DAY, user=user, person=person, case=case),
        row(cut - DAY, user=user, person=person),
        row(cut - DAY, user=user, listed=[person]),
        row(cut - DAY, user=user),
    ]
    young = row(cut + DAY, user=user, person=person, case=case)
    chain.seal(cut.date() + 2 * DAY)

    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert "rows that would go: 4, the oldest from" in out.getvalue(), out.getvalue()
    assert not RemovedRow.objects.exists()

    out = io.StringIO()
    call_command("retention", stdout=out)
    assert "Access log: removed 4 rows older than 5 years" in out.getvalue(), out.getvalue()
    assert removed_ids() == {r.pk for r in rows}
    assert AccessLog.objects.filter(pk=young.pk).exists()
    call_command("audit_verify", stdout=io.StringIO())
    out = io.StringIO()
    call_command("retention", stdout=out)
    assert "No case is due." in out.getvalue()
    assert "removed 0 rows" in out.getvalue()


# --- Property (hypothesis) --------------------------------------------------------------

KINDS = ["event", "gone_case", "kept_case", "emptied", "kept_person", "listed_gone", "listed_mix"]
row_strategy = st.fixed_dictionaries(
    {
        # Around the five years: from 20 days more to 20 days less, at any minute.
        "minutes": st.integers(min_value=-20 * 24 * 60, max_value=20 * 24 * 60),
        "kind": st.sampled_from(KINDS),
    }
)


def _may_go(spec: dict) -> bool:
    """The rule, written out again: five years old, and nothing it names is kept."""
    at = CUT + datetime.timedelta(minutes=spec["minutes"])
    return at < CUT and spec["kind"] in ("event", "gone_case", "emptied", "listed_gone")


@pytest.mark.django_db
@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(specs=st.lists(row_strategy, min_size=1, max_size=12), batch=st.integers(1, 5))
def test_property_nothing_younger_and_nothing_kept_goes_and_only_once(records, specs, batch):
    r, user = records, records["user"]
    named = {
        "event": {},
        "gone_case": {"person": r["emptied"], "case": r["gone"]},
        "kept_case": {"person": r["half"], "case": r["kept_forever"]},
        "emptied": {"person": r["emptied"]},
        "kept_person": {"person": r["half"]},
        "listed_gone": {"listed": [r["emptied"]]},
        "listed_mix": {"listed": [r["emptied"], r["young"].person]},
    }
    with transaction.atomic():
        built = [
            (row(CUT + datetime.timedelta(minutes=s["minutes"]), user=user, **named[s["kind"]]), s)
            for s in specs
        ]
        chain.seal(CUT.date() + 21 * DAY)
        expected = access_log.plan(TODAY, 5).due

        assert access_log.remove(TODAY, batch_size=batch) == expected

        gone = removed_ids()
        for log, spec in built:
            assert (log.pk in gone) == _may_go(spec), spec
            if log.pk in gone:
                assert log.at < CUT  # nothing younger than five years
        assert chain.verify()[0] is None
        assert access_log.remove(TODAY) == 0
        assert removed_ids() == gone
        transaction.set_rollback(True)
