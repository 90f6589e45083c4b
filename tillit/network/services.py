"""Writes that span several rows: members with their placement, consents and what a
withdrawal does to invitations, conferences through their stages, meetings.

Reading and the audit row are the access helper's (tillit/clients/access.py); the view
calls it first with the action, so these functions do not log again.
"""

from __future__ import annotations

import copy
import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from tillit.clients.models import Case, EntryKind, Person
from tillit.clients.services import entry_create
from tillit.lib.revisions import save_at_revision
from tillit.network.models import (
    Circle,
    Consent,
    Decision,
    FamilyConference,
    FollowUp,
    Invitation,
    Meeting,
    NetworkMember,
    Placement,
    PlanStep,
    Purpose,
    Stage,
)
from tillit.org.models import User


@transaction.atomic
def member_add(
    *, actor: User, person: Person, circle: int, on: datetime.date | None = None, **fields
) -> NetworkMember:
    """Put a person on the client's map, in `circle`."""
    on = on or timezone.localdate()
    member = NetworkMember(person=person, created_by=actor, added_on=on, **fields)
    member.full_clean()
    member.save()
    Placement.objects.create(member=member, circle=circle, from_on=on)
    return member


def member_move(
    *, member: NetworkMember, circle: int, on: datetime.date | None = None
) -> Placement | None:
    """Move a member to another circle from `on`; the earlier placement is kept."""
    if not member.is_current:
        raise ValidationError(_("This person is no longer on the map."))
    if circle not in Circle.values:
        raise ValidationError(_("Choose the inner, middle or outer circle."))
    latest = member.placements.order_by("-from_on", "-created_at", "-id").first()
    if latest and latest.circle == circle:
        return None
    return Placement.objects.create(
        member=member, circle=circle, from_on=on or timezone.localdate()
    )


MEMBER_FIELDS = ("name", "relation", "quality", "client_words", "reach")


def member_update(*, member: NetworkMember, revision: int, **values) -> NetworkMember:
    """Change what the client says about a member, if nobody saved it since `revision`
    was read; otherwise raise Conflict and change nothing (tillit.lib.revisions)."""
    if not member.is_current:
        raise ValidationError(_("This person is no longer on the map."))
    unknown = set(values) - set(MEMBER_FIELDS)
    if unknown:
        raise TypeError(f"not fields of a member: {sorted(unknown)}")
    changed = copy.copy(member)
    for name, value in values.items():
        setattr(changed, name, value)
    changed.full_clean(exclude=["person", "created_by", "revision"])
    return save_at_revision(member, revision, values)


@transaction.atomic
def member_end(
    *, actor: User, member: NetworkMember, reason: str, on: datetime.date | None = None
) -> None:
    """Take a member off the map (kept for the history); their consents end the same day."""
    on = on or timezone.localdate()
    if not member.is_current:
        raise ValidationError(_("This person is no longer on the map."))
    if on < member.added_on:
        raise ValidationError(_("A person cannot leave the map before they were added."))
    member.ended_on = on
    member.end_reason = reason
    member.save(update_fields=["ended_on", "end_reason"])
    for consent in member.consents.filter(withdrawn_on__isnull=True):
        consent_withdraw(actor=actor, consent=consent, on=max(on, consent.given_on))


def consent_give(
    *, actor: User, member: NetworkMember, purpose: str, on: datetime.date | None = None
) -> Consent:
    """Record the client's consent to contact `member` for `purpose`."""
    on = on or timezone.localdate()
    if not member.is_current:
        raise ValidationError(_("This person is no longer on the map."))
    if member.consents.valid_on(on).filter(purpose=purpose).exists():
        raise ValidationError(_("There is already a valid consent for this purpose."))
    return Consent.objects.create(member=member, purpose=purpose, given_on=on, recorded_by=actor)


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, on: datetime.date | None = None
) -> list[Invitation]:
    """Withdraw a consent. Invitations that stood on an 'invite' consent are marked, not
    removed, so the coordinator sees them on the conference or meeting page."""
    on = on or timezone.localdate()
    if consent.withdrawn_on is not None:
        raise ValidationError(_("This consent is already withdrawn."))
    if on < consent.given_on:
        raise ValidationError(_("A consent cannot be withdrawn before it was given."))
    consent.withdrawn_on = on
    consent.withdrawn_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    marked: list[Invitation] = []
    if (
        consent.purpose == Purpose.INVITE
        and not consent.member.consents.valid_on(on)
        .filter(purpose=Purpose.INVITE)
        .exclude(pk=consent.pk)
        .exists()
    ):
        marked = list(consent.member.invitations.filter(consent_withdrawn_on__isnull=True))
        Invitation.objects.filter(pk__in=[i.pk for i in marked]).update(consent_withdrawn_on=on)
    return marked


def check_may_invite(member: NetworkMember, person_id: int, on: datetime.date) -> None:
    """No contact without consent: refuse to invite a member without a valid 'invite'
    consent, or one who is not on this client's map."""
    if member.person_id != person_id or not member.is_current:
        raise ValidationError(_("%(name)s is not on this client's network map.") % {"name": member})
    if not member.consents.valid_on(on).filter(purpose=Purpose.INVITE).exists():
        raise ValidationError(
            _(
                "%(name)s cannot be invited: the client has not given consent to invite "
                "them to meetings and conferences."
            )
            % {"name": member}
        )


def invite(
    *,
    actor: User,
    member: NetworkMember,
    conference: FamilyConference | None = None,
    meeting: Meeting | None = None,
) -> Invitation:
    """Invite a member to a conference or a meeting, after the consent check."""
    case = conference.case if conference else meeting.case  # type: ignore[union-attr]
    on = timezone.localdate()
    check_may_invite(member, case.person_id, on)
    existing = Invitation.objects.filter(member=member, conference=conference, meeting=meeting)
    if existing.exists():
        raise ValidationError(_("%(name)s is already invited.") % {"name": member})
    return Invitation.objects.create(
        member=member, conference=conference, meeting=meeting, invited_by=actor, invited_on=on
    )


# -- family group conferences --------------------------------------------------------------


def conference_request(
    *,
    actor: User,
    case: Case,
    questions: str,
    agreement: str,
    on: datetime.date | None = None,
) -> FamilyConference:
    """Start a family group conference: what social services needs answered, and the
    client's and family's agreement to hold one."""
    if not case.is_open:
        raise ValidationError(_("A family group conference needs an open case."))
    return FamilyConference.objects.create(
        case=case,
        questions=questions,
        agreement=agreement,
        created_by=actor,
        requested_on=on or timezone.localdate(),
    )


def _require(conference: FamilyConference, *stages: str) -> None:
    if conference.stage not in stages:
        raise ValidationError(
            _("This step does not fit the conference's stage (%(stage)s).")
            % {"stage": conference.get_stage_display()}
        )


def conference_appoint(
    *,
    conference: FamilyConference,
    name: str = "",
    staff: User | None = None,
    on: datetime.date | None = None,
) -> None:
    """Appoint the independent coordinator: a name, or one of the staff."""
    _require(conference, Stage.REQUEST, Stage.COORDINATOR, Stage.PREPARATION)
    if not name.strip() and staff is None:
        raise ValidationError(_("Name the coordinator, or choose one among staff."))
    conference.coordinator_name = name.strip()
    conference.coordinator_staff = staff
    conference.coordinator_on = on or timezone.localdate()
    conference.stage = Stage.PREPARATION
    # Only what this step decides: what others wrote meanwhile is not written back.
    conference.save(
        update_fields=["coordinator_name", "coordinator_staff", "coordinator_on", "stage"]
    )


def conference_prepare(
    *, conference: FamilyConference, professionals: str, revision: int | None = None
) -> None:
    """Who will inform, saved against the revision it was read at (by default the one
    `conference` was loaded at): a stale save raises Conflict (tillit.lib.revisions)."""
    _require(conference, Stage.PREPARATION)
    read = conference.revision if revision is None else revision
    save_at_revision(conference, read, {"professionals": professionals})


def conference_hold(
    *,
    conference: FamilyConference,
    held_on: datetime.date,
    information: str,
    private_time: str,
    plan_summary: str,
    revision: int | None = None,
) -> None:
    """Record the conference: information part, the family's private time, their plan;
    saved against the revision it was read at, like conference_prepare."""
    _require(conference, Stage.PREPARATION, Stage.CONFERENCE)
    if held_on < conference.requested_on:
        raise ValidationError(_("The conference cannot be held before it was requested."))
    values = {
        "held_on": held_on,
        "information": information,
        "private_time": private_time,
        "plan_summary": plan_summary,
        "stage": Stage.CONFERENCE,
    }
    read = conference.revision if revision is None else revision
    save_at_revision(conference, read, values)


def step_add(*, conference: FamilyConference, **fields) -> PlanStep:
    """Add an action to the family's plan."""
    _require(conference, Stage.CONFERENCE, Stage.DECISION, Stage.FOLLOW_UP)
    member = fields.get("owner_member")
    if fields.get("owner_kind") == "member":
        if member is None or member.person_id != conference.case.person_id:
            raise ValidationError(_("Choose a person from the client's network."))
    else:
        fields["owner_member"] = None
    if fields.get("owner_kind") == "professional" and not fields.get("owner_name", "").strip():
        raise ValidationError(_("Name the professional who does it."))
    return PlanStep.objects.create(conference=conference, **fields)


def conference_decide(
    *,
    actor: User,
    conference: FamilyConference,
    decision: str,
    reason: str = "",
    on: datetime.date | None = None,
) -> None:
    """Social services' decision on the family's plan; a refusal needs its reason."""
    _require(conference, Stage.CONFERENCE)
    if not conference.steps.exists():
        raise ValidationError(_("Record the family's plan before the decision."))
    if decision == Decision.NOT_ACCEPTED and not reason.strip():
        raise ValidationError(_("Say why the plan is not accepted."))
    if decision not in (Decision.ACCEPTED, Decision.NOT_ACCEPTED):
        raise ValidationError(_("Choose whether the plan is accepted."))
    conference.decision = decision
    conference.decision_reason = reason
    conference.decided_on = on or timezone.localdate()
    conference.decided_by = actor
    conference.stage = Stage.FOLLOW_UP if decision == Decision.ACCEPTED else Stage.DECISION
    conference.save(
        update_fields=["decision", "decision_reason", "decided_on", "decided_by", "stage"]
    )


def step_outcome(
    *, conference: FamilyConference, step: PlanStep, outcome: str, done_on: datetime.date | None
) -> None:
    """Record how one action of the family's plan went, at follow-up."""
    _require(conference, Stage.FOLLOW_UP)
    if step.conference_id != conference.pk:
        raise ValidationError(_("Choose an action of this conference's plan."))
    step.outcome = outcome
    step.done_on = done_on
    step.save(update_fields=["outcome", "done_on"])


def follow_up_record(
    *, actor: User, conference: FamilyConference, held_on: datetime.date, notes: str
) -> FollowUp:
    _require(conference, Stage.FOLLOW_UP)
    return FollowUp.objects.create(
        conference=conference, held_on=held_on, notes=notes, recorded_by=actor
    )


# -- meetings -------------------------------------------------------------------------------


@transaction.atomic
def meeting_record(
    *,
    actor: User,
    case: Case,
    members: list[NetworkMember],
    journal: bool = False,
    **fields,
) -> Meeting:
    """Record a network meeting or reflecting team; every member present needs consent.
    With `journal`, a draft journal entry is written and linked."""
    for member in members:
        check_may_invite(member, case.person_id, fields["held_on"])
    meeting = Meeting(case=case, created_by=actor, **fields)
    meeting.full_clean(exclude=["journal_entry"])
    if journal:
        # Each part under its own heading, so the purpose is not taken for the client's
        # words; the draft is the worker's to edit and sign.
        parts = [Meeting.purpose, Meeting.client_words, Meeting.reflections, Meeting.response]
        text = "\n\n".join(
            f"{capfirst(part.field.verbose_name)}: {getattr(meeting, part.field.name)}"
            for part in parts
            if getattr(meeting, part.field.name)
        )
        present = [str(case.person)] if meeting.client_present else []
        present += [str(actor), *(m.name for m in members)]
        meeting.journal_entry = entry_create(
            actor=actor,
            case=case,
            happened_at=timezone.make_aware(
                datetime.datetime.combine(meeting.held_on, datetime.time(12))
            ),
            kind=EntryKind.NETWORK_MEETING,
            text=text,
            present=", ".join(present)[:300],
        )
    meeting.save()
    for member in members:
        Invitation.objects.create(
            member=member, meeting=meeting, invited_by=actor, invited_on=meeting.held_on
        )
    return meeting
