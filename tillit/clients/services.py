"""Writes that span several models. Reads go through tillit.clients.access."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.audit.models import AccessLog, Action
from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStatus,
    EmergencyAccess,
    EmergencyCategory,
    EntryStatus,
    Handover,
    HandoverState,
    JournalEntry,
    Person,
)
from tillit.lib.once import create_once
from tillit.lib.revisions import save_at_revision
from tillit.org.models import Role, Unit, User

# Who may break the glass: those who do case work with clients. Managers, evaluators and
# administrators see no client (docs/architecture.md, the roles).
EMERGENCY_ROLES = (Role.WORKER, Role.TEAM_LEADER)


@transaction.atomic
def case_open(
    *,
    actor: User,
    person: Person,
    unit: Unit,
    origin: str,
    origin_text: str = "",
    path: str = "",
) -> Case:
    """Register a new client's case in `unit`; a worker who opens it becomes its contact
    person. Logged here, since there is no earlier record to pass the access helper."""
    if unit.pk not in actor.unit_ids(Role.WORKER, Role.TEAM_LEADER):
        raise ValidationError(_("You can only open cases in your own units."))
    person.full_clean()
    person.save()
    case = Case.objects.create(person=person, unit=unit, origin=origin, origin_text=origin_text)
    if unit.pk in actor.unit_ids(Role.WORKER):
        Assignment.objects.create(case=case, worker=actor, role=AssignmentRole.CONTACT_PERSON)
    ground = "assigned" if unit.pk in actor.unit_ids(Role.WORKER) else "team_leader"
    AccessLog.objects.create(
        user=actor,
        role=ground,
        unit=unit,
        person=person,
        case=case,
        action=Action.CREATE,
        path=path,
    )
    return case


@transaction.atomic
def assignment_start(
    *, case: Case, worker: User, role: str, on: datetime.date | None = None
) -> Assignment:
    """Put `worker` on `case` in `role` from `on`, ending whoever held that role.

    The ended assignment stays as it was, so the case's history of workers is kept.
    """
    on = on or timezone.localdate()
    if case.unit_id not in worker.unit_ids(Role.WORKER):
        raise ValidationError(_("%(name)s is not a worker in this unit.") % {"name": worker})
    current = Assignment.objects.current().select_for_update().filter(case=case, role=role)
    for assignment in current:
        if assignment.worker_id == worker.pk:
            return assignment
        assignment.ended_on = max(on, assignment.started_on)
        assignment.save(update_fields=["ended_on"])
    return Assignment.objects.create(case=case, worker=worker, role=role, started_on=on)


@transaction.atomic
def inquiry_decide(*, case: Case, assess: bool, reason: str) -> Case:
    """Intake's decision on an inquiry: open an assessment or not, with the reason either
    way. Opening one moves the case to assessment; a case not assessed is then closed
    (tillit.followup), so the reason stays on it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.assess is not None:
        raise ValidationError(_("The inquiry is already decided."))
    case.assess, case.assess_reason = assess, reason
    case.assess_decided_on = timezone.localdate()
    if assess:
        case.status = CaseStatus.ASSESSMENT
    case.full_clean()
    case.save(update_fields=["assess", "assess_reason", "assess_decided_on", "status"])
    return case


@transaction.atomic
def case_advance(case: Case, status: CaseStatus) -> None:
    """Move an open case on to `status` when what the status names begins (an
    intervention starts); never back, never out of closed."""
    order = [CaseStatus.INQUIRY, CaseStatus.ASSESSMENT, CaseStatus.INTERVENTION]
    Case.objects.filter(pk=case.pk, status__in=order[: order.index(status)]).update(status=status)


@transaction.atomic
def handover_send(*, actor: User, case: Case, to_unit: Unit, note: str) -> Handover:
    """Hand an open case to another unit. It stays with this unit until the receiving
    unit's team leader accepts it."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if not case.is_open:
        raise ValidationError(_("A closed case cannot be handed over."))
    if case.handovers.pending().exists():
        raise ValidationError(_("The case is already handed over and waits for that unit."))
    if to_unit.pk == case.unit_id:
        raise ValidationError(_("Choose another unit than the case's own."))
    return Handover.objects.create(
        case=case, from_unit_id=case.unit_id, to_unit=to_unit, note=note, sent_by=actor
    )


def _decided(handover: Handover) -> Handover:
    """The hand-over `handover`, locked, if it still waits; a second tab or a double click
    finds it decided."""
    locked = Handover.objects.select_for_update().get(pk=handover.pk)
    if locked.state != HandoverState.PENDING:
        raise ValidationError(_("This hand-over is already decided."))
    return locked


@transaction.atomic
def handover_accept(*, actor: User, handover: Handover, worker: User) -> Handover:
    """The receiving unit takes the case: it moves to that unit with `worker` as its
    contact person, and the sending unit's workers leave it (their assignments end, so
    their access ends; the history stays)."""
    handover = _decided(handover)
    today = timezone.localdate()
    case = Case.objects.select_for_update().get(pk=handover.case_id)
    for assignment in Assignment.objects.current().select_for_update().filter(case=case):
        assignment.ended_on = max(today, assignment.started_on)
        assignment.save(update_fields=["ended_on"])
    case.unit_id = handover.to_unit_id
    case.save(update_fields=["unit"])
    assignment_start(case=case, worker=worker, role=AssignmentRole.CONTACT_PERSON, on=today)
    handover.state, handover.decided_by, handover.decided_at = (
        HandoverState.ACCEPTED,
        actor,
        timezone.now(),
    )
    handover.save(update_fields=["state", "decided_by", "decided_at"])
    return handover


@transaction.atomic
def handover_decline(*, actor: User, handover: Handover, reason: str) -> Handover:
    """The receiving unit cannot take the case: it stays where it is, with the reason."""
    handover = _decided(handover)
    handover.state, handover.decided_by = HandoverState.DECLINED, actor
    handover.decided_at, handover.decline_reason = timezone.now(), reason
    handover.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
    return handover


def entry_create(
    *,
    actor: User,
    case: Case,
    happened_at: datetime.datetime,
    kind: str,
    text: str,
    present: str = "",
    client_words: bool = False,
    sign: bool = False,
    submission: uuid.UUID | None = None,
) -> JournalEntry:
    """A new journal entry, signed at once if `sign`. The form's `submission` key makes
    it once: the same form sent again returns the entry it made (tillit/lib/once.py)."""

    def create() -> JournalEntry:
        entry = JournalEntry(
            case=case,
            happened_at=happened_at,
            kind=kind,
            text=text,
            present=present,
            client_words=client_words,
            author=actor,
            submission=submission,
        )
        if sign:
            entry.status = EntryStatus.SIGNED
            entry.signed_at = timezone.now()
            entry.signed_by = actor
        entry.save()
        return entry

    entry, _created = create_once(JournalEntry, submission, create, case=case, author=actor)
    return entry


DRAFT_FIELDS = ("happened_at", "kind", "text", "present", "client_words")


@transaction.atomic
def entry_update_draft(*, entry: JournalEntry, revision: int, **values: object) -> JournalEntry:
    """Save the author's draft if nobody saved it since `revision` was read (another tab);
    otherwise raise Conflict and change nothing (tillit.lib.revisions). A draft signed
    meanwhile is refused with a message."""
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a draft: {sorted(unknown)}")
    entry_lock_draft(entry)
    return save_at_revision(entry, revision, values)


def entry_lock_draft(entry: JournalEntry) -> None:
    """Lock a draft's row until the transaction ends, or refuse if it is signed by now: a
    second tab or a double click may have signed it since it was read, and the database
    refuses any change to a signed entry. Call inside a transaction (every POST is one)."""
    status = (
        JournalEntry.objects.select_for_update()
        .filter(pk=entry.pk)
        .values_list("status", flat=True)
        .first()
    )
    if status == EntryStatus.SIGNED:
        raise ValidationError(_("This entry is already signed."), code="signed")


@transaction.atomic
def entry_sign(*, actor: User, entry: JournalEntry) -> JournalEntry:
    if entry.is_signed:
        raise ValidationError(_("This entry is already signed."))
    entry_lock_draft(entry)
    if entry.author_id != actor.pk:
        raise ValidationError(_("Only the author can sign a draft."))
    # What is signed is the draft as stored now: the author's other tab may have saved it
    # since this request read it, and that text must not be written over.
    entry.refresh_from_db()
    entry.status = EntryStatus.SIGNED
    entry.signed_at = timezone.now()
    entry.signed_by = actor
    entry.save(update_fields=["status", "signed_at", "signed_by"])
    return entry


@transaction.atomic
def entry_correct(
    *,
    actor: User,
    entry: JournalEntry,
    text: str,
    reason: str,
    happened_at: datetime.datetime | None = None,
    kind: str | None = None,
    present: str | None = None,
    client_words: bool | None = None,
) -> JournalEntry:
    """Correct a signed entry: a new signed version pointing at it. Both stay readable."""
    if not entry.is_signed:
        raise ValidationError(_("A draft is edited, not corrected."))
    if not reason.strip():
        raise ValidationError(_("Say why the entry is corrected."))
    # Locked first, so that a second correction of the same version (a double click, two
    # tabs) waits for the first and then finds it, instead of breaking the unique key.
    JournalEntry.objects.select_for_update().filter(pk=entry.pk).values_list("pk").first()
    if JournalEntry.objects.filter(replaces=entry).exists():
        raise ValidationError(_("This version has already been corrected; correct the newest."))
    now = timezone.now()
    try:
        with transaction.atomic():
            return JournalEntry.objects.create(
                case=entry.case,
                happened_at=happened_at or entry.happened_at,
                kind=kind or entry.kind,
                text=text,
                present=entry.present if present is None else present,
                client_words=entry.client_words if client_words is None else client_words,
                author=actor,
                status=EntryStatus.SIGNED,
                signed_at=now,
                signed_by=actor,
                replaces=entry,
                thread=entry.thread or entry,
                version=entry.version + 1,
                correction_reason=reason.strip(),
            )
    except IntegrityError:  # corrected meanwhile, where the lock above does not hold
        raise ValidationError(
            _("This version has already been corrected; correct the newest.")
        ) from None


def emergency_access_open(
    *, actor: User, person: Person, category: str, reason: str, path: str = ""
) -> EmergencyAccess:
    """Open a time-limited access to one person, outside need-to-know, with a kind of
    urgency and a reason. It allows reading and one signed journal note (access.ALLOWED).

    Logged with the reason; team leaders see it in log review until another than the one
    who took it marks it reviewed.
    """
    if not actor.unit_ids(*EMERGENCY_ROLES):
        raise ValidationError(_("Your role does not allow emergency access."))
    if category not in EmergencyCategory.values:
        raise ValidationError(_("Choose the kind of urgency."))
    if len(reason.strip()) < EmergencyAccess.REASON_MIN_LENGTH:
        raise ValidationError(
            _("Say in at least %(n)d characters why you need the records now.")
            % {"n": EmergencyAccess.REASON_MIN_LENGTH}
        )
    now = timezone.now()
    access = EmergencyAccess.objects.create(
        user=actor,
        person=person,
        category=category,
        reason=reason.strip(),
        started_at=now,
        expires_at=now + datetime.timedelta(hours=settings.EMERGENCY_ACCESS_HOURS),
    )
    AccessLog.objects.create(
        user=actor,
        role="emergency",
        person=person,
        action=Action.EMERGENCY,
        emergency=access,
        path=path,
        detail={"category": category, "reason": access.reason},
    )
    return access


def emergency_access_review(*, actor: User, access: EmergencyAccess, path: str = "") -> None:
    """Mark an emergency access reviewed. The safeguard is not closed by the person it
    watches: the one who took the access cannot review it."""
    if access.user_id == actor.pk:
        raise ValidationError(_("An emergency access is reviewed by someone else."))
    access.reviewed_at = timezone.now()
    access.reviewed_by = actor
    access.save(update_fields=["reviewed_at", "reviewed_by"])
    AccessLog.objects.create(
        user=actor,
        role="team_leader",
        person=access.person,
        action=Action.REVIEW,
        emergency=access,
        path=path,
    )
