"""Writes of decisions. Reads, and the audit row of each request, go through
tillit.clients.access in the views.

A decision is a draft until it is signed; a draft is saved against the revision it was read
at, and signing moves the revision on, so an edit of a draft that was signed meanwhile is
refused and nothing is lost. A signed decision is changed only by a new decision that
replaces it (`decision_replace`); what may still be written on it is that it was told to
the client and why it is not carried out yet."""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Case
from tillit.decisions.models import GRANTING, Decision, Law
from tillit.lib.once import create_once
from tillit.lib.revisions import Conflict, save_at_revision
from tillit.org.models import User

# What a draft's form writes.
DRAFT_FIELDS = (
    "kind",
    "origin",
    "what",
    "outcome",
    "starts_on",
    "ends_on",
    "law",
    "grounds",
    "delegation",
    "appeal_info",
)


def _period(starts_on: datetime.date | None, ends_on: datetime.date | None) -> None:
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The end date cannot be before the start date.")})


@transaction.atomic
def decision_create(
    *,
    actor: User,
    case: Case,
    kind: str,
    what: str,
    outcome: str,
    law: Law,
    origin: str = "applied",
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    grounds: str = "",
    delegation: str = "",
    appeal_info: str = "",
    replaces: Decision | None = None,
    submission: uuid.UUID | None = None,
) -> Decision:
    """A new draft decision on `case`, by `actor`. `replaces`: the signed decision it will
    change once signed (one new decision per decision; the execution clock's record goes
    with it, as the help already begun goes on). The same form sent twice makes one."""
    if not case.is_open:
        raise ValidationError(_("The case is closed. Reopen it to record a decision."))
    _period(starts_on, ends_on)
    values: dict[str, Any] = {
        "case": case,
        "kind": kind,
        "origin": origin,
        "what": what,
        "outcome": outcome,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "law": law,
        "grounds": grounds,
        "delegation": delegation,
        "appeal_info": appeal_info,
        "decided_by": actor,
        "submission": submission,
    }

    def create() -> Decision:
        if replaces is not None:
            old = Decision.objects.select_for_update().get(pk=replaces.pk)
            _replaceable(old, case)
            values.update(
                replaces=old,
                carried_out_on=old.carried_out_on,
                delay_reason=old.delay_reason,
            )
        return Decision.objects.create(**values)

    decision, _created = create_once(Decision, submission, create, case=case)
    return decision


def _replaceable(old: Decision, case: Case) -> None:
    if old.case_id != case.pk:
        raise ValidationError(_("A decision is replaced by a decision on the same case."))
    if not old.is_signed:
        raise ValidationError(_("A draft is changed as it is; only a signed decision is replaced."))
    if Decision.objects.filter(replaces=old).exists():
        raise ValidationError(_("There is already a new decision that replaces this one."))


def replacement_initial(old: Decision) -> dict[str, Any]:
    """What a new decision replacing `old` starts from: the old one as it was."""
    return {name: getattr(old, name) for name in DRAFT_FIELDS}


def decision_update(*, decision: Decision, revision: int, **values: Any) -> Decision:
    """Save a draft if nobody has saved it since `revision` (else `Conflict` with the row as
    it is now). A draft signed meanwhile is not changed."""
    if decision.is_signed:
        raise ValidationError(
            _("A signed decision cannot be changed; make a new decision that replaces it.")
        )
    _period(values.get("starts_on"), values.get("ends_on"))
    try:
        return save_at_revision(decision, revision, values)
    except Conflict as stale:
        if stale.saved.is_signed:  # type: ignore[attr-defined]
            raise ValidationError(
                _("The decision was signed while you were writing. Nothing was changed.")
            ) from None
        raise
    except Decision.DoesNotExist:
        raise ValidationError(_("The draft has been discarded.")) from None


def missing_to_sign(decision: Decision) -> dict[str, str]:
    """What a draft lacks to be signed, field by field."""
    missing = {}
    if not decision.grounds.strip():
        missing["grounds"] = _("Write the grounds for the decision before it is signed.")
    if not decision.appeal_info.strip():
        missing["appeal_info"] = _("Say how to appeal before the decision is signed.")
    return missing


def decision_sign(*, actor: User, decision: Decision, on: datetime.date | None = None) -> Decision:
    """Sign a draft: `actor` decides it, on `on` (today). From now on it is never changed."""
    if decision.is_signed:
        raise ValidationError(_("This decision is already signed."))
    missing = missing_to_sign(decision)
    if missing:
        raise ValidationError(missing)
    signed = Decision.objects.filter(pk=decision.pk, signed_at__isnull=True).update(
        signed_at=timezone.now(),
        decided_by=actor,
        decided_on=on or timezone.localdate(),
        revision=F("revision") + 1,
    )
    if not signed:
        raise ValidationError(_("This decision is already signed."))
    decision.refresh_from_db()
    decision._stored = {
        f.attname: getattr(decision, f.attname) for f in Decision._meta.concrete_fields
    }
    return decision


def decision_discard(*, decision: Decision) -> None:
    """Throw away a draft (a signed decision stays: it is replaced, never removed)."""
    if decision.is_signed:
        raise ValidationError(_("A signed decision cannot be removed."))
    decision.delete()


def decision_communicated(*, decision: Decision, on: datetime.date, how: str) -> Decision:
    """Record when and how the client was told of the decision."""
    if not decision.is_signed:
        raise ValidationError(_("Sign the decision before you record that the client was told."))
    if on > timezone.localdate():
        raise ValidationError({"communicated_on": _("The date cannot be in the future.")})
    if on < decision.decided_on:
        raise ValidationError(
            {"communicated_on": _("The client cannot be told before the decision was made.")}
        )
    decision.communicated_on = on
    decision.communicated_how = how
    decision.save(update_fields=["communicated_on", "communicated_how"])
    return decision


@transaction.atomic
def decision_delay_reason(*, decision: Decision, reason: str) -> Decision:
    """Why a granted decision is not carried out yet, in words (for the unit's leaders and
    the report to IVO)."""
    if not decision.is_signed or decision.outcome not in GRANTING:
        raise ValidationError(_("Only a signed decision that grants help waits to be carried out."))
    if decision.carried_out_on is not None:
        raise ValidationError(_("This decision is already carried out."))
    decision.delay_reason = reason.strip()
    decision.save(update_fields=["delay_reason"])
    return decision
