"""The rules of a decision that hold whatever the path: the laws as data, the period, a
signed decision's grounds and appeal information, and that a signed decision is never
changed (the model refuses, and so does the database)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from tillit.decisions.models import Decision, Law, SignedDecisionError
from tillit.decisions.tests.data import decision


def test_the_laws_are_loaded_as_data(db):
    keys = set(Law.objects.values_list("key", flat=True))
    assert {"se-sol-2001-4-1", "se-sol-2025-open", "se-lvm", "no-hol-3-2", "no-hol-10"} <= keys
    assert Law.objects.get(key="se-sol-2001-4-1").reference == "SoL (2001:453) 4 kap. 1 §"
    assert Law.objects.get(key="se-lvm").reference == "LVM (1988:870)"
    assert Law.objects.get(key="no-hol-3-2").reference == "hol. § 3-2"
    assert Law.objects.get(key="no-hol-3-1").country == "NO"
    # The 2025 law's help given without an individual needs assessment, and only it.
    assert list(Law.objects.filter(needs_assessment=False).values_list("key", flat=True)) == [
        "se-sol-2025-open"
    ]
    for law in Law.objects.all():
        assert law.name and law.name_sv and law.name_nb


def test_the_law_is_named_in_the_language_read(db):
    from django.utils import translation

    law = Law.objects.get(key="no-hol-10")
    with translation.override("nb"):
        assert "tvangstiltak" in law.local_name
    with translation.override("en"):
        assert "compulsory measures" in law.local_name


def test_a_signed_decision_is_not_changed_by_the_model(case, worker):
    signed = decision(case, worker, state="signed")
    signed = Decision.objects.get(pk=signed.pk)
    signed.grounds = "Other grounds"
    with pytest.raises(SignedDecisionError):
        signed.save()
    signed = Decision.objects.get(pk=signed.pk)
    signed.outcome = "refused"
    with pytest.raises(SignedDecisionError):
        signed.save(update_fields=["outcome"])
    with pytest.raises(SignedDecisionError):
        signed.delete()
    assert Decision.objects.get(pk=signed.pk).outcome == "granted"


def test_what_may_still_be_written_on_a_signed_decision(case, worker):
    signed = Decision.objects.get(pk=decision(case, worker, state="signed").pk)
    today = timezone.localdate()
    signed.communicated_on, signed.communicated_how = today, "letter"
    signed.delay_reason = "No place yet"
    signed.carried_out_on = today
    signed.save()
    stored = Decision.objects.get(pk=signed.pk)
    assert (stored.communicated_how, stored.delay_reason, stored.carried_out_on) == (
        "letter",
        "No place yet",
        today,
    )


def test_the_database_refuses_to_change_a_signed_decision(case, worker):
    """A bulk update goes round the model; the trigger (migration 0003) does not let it."""
    signed = decision(case, worker, state="signed")
    for change in ({"grounds": "Other"}, {"outcome": "refused"}, {"ends_on": "2030-01-01"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Decision.objects.filter(pk=signed.pk).update(**change)
    # The execution clock and the telling are still written (tillit.outcomes sets this).
    Decision.objects.filter(pk=signed.pk).update(carried_out_on=timezone.localdate())
    assert Decision.objects.get(pk=signed.pk).carried_out_on == timezone.localdate()
    # A draft is changed freely.
    draft = decision(case, worker)
    Decision.objects.filter(pk=draft.pk).update(grounds="Changed")
    assert Decision.objects.get(pk=draft.pk).grounds == "Changed"


def test_the_database_refuses_a_signed_decision_without_grounds_or_appeal(case, worker):
    for missing in ("grounds", "appeal_info"):
        draft = decision(case, worker, **{missing: ""})
        with pytest.raises(IntegrityError), transaction.atomic():
            Decision.objects.filter(pk=draft.pk).update(signed_at=timezone.now())


def test_the_database_refuses_an_end_before_the_start(case, worker):
    draft = decision(case, worker)
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=draft.pk).update(
            starts_on=datetime.date(2026, 3, 1), ends_on=datetime.date(2026, 2, 1)
        )


def test_told_needs_both_when_and_how(case, worker):
    signed = decision(case, worker, state="signed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.filter(pk=signed.pk).update(communicated_on=timezone.localdate())
