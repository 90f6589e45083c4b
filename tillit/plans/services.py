"""Writes on plans. Reads, and the audit row of each request, go through
tillit.clients.access in the views."""

from __future__ import annotations

import datetime
import uuid

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Case
from tillit.lib.once import create_once
from tillit.lib.revisions import save_at_revision
from tillit.org.models import User
from tillit.plans.models import (
    Goal,
    Participant,
    Plan,
    PlanResponse,
    PlanStatus,
    Review,
    Step,
)


def _editable(plan: Plan) -> None:
    if not plan.is_editable:
        raise ValidationError(_("A signed plan cannot be changed; make a new version."))


def plan_create(*, actor: User, case: Case, kind: str, review_on: datetime.date | None) -> Plan:
    """A new draft plan on `case`."""
    return Plan.objects.create(case=case, kind=kind, review_on=review_on, created_by=actor)


def goal_add(*, plan: Plan, text: str, why: str) -> Goal:
    _editable(plan)
    last = plan.goals.aggregate(last=Max("position"))["last"]
    return Goal.objects.create(plan=plan, text=text, why=why, position=(last or 0) + 1)


def goal_update(*, goal: Goal, revision: int, text: str, why: str) -> Goal:
    """Save the goal if nobody has saved it since `revision`; otherwise raise Conflict
    with the saved goal (`tillit.lib.revisions`: the check and the write are one UPDATE).
    The same words saved twice are no conflict."""
    _editable(goal.plan)
    try:
        return save_at_revision(goal, revision, {"text": text, "why": why})
    except Goal.DoesNotExist:
        raise ValidationError(_("Someone else has removed this goal.")) from None


def step_add(
    *, goal: Goal, text: str, doer: str, doer_name: str = "", due_on: datetime.date | None
) -> Step:
    _editable(goal.plan)
    last = goal.steps.aggregate(last=Max("position"))["last"]
    return Step.objects.create(
        goal=goal,
        text=text,
        doer=doer,
        doer_name=doer_name,
        due_on=due_on,
        position=(last or 0) + 1,
    )


def step_update(
    *,
    step: Step,
    revision: int,
    text: str,
    doer: str,
    doer_name: str,
    due_on: datetime.date | None,
) -> Step:
    """Like goal_update, for a step."""
    _editable(step.goal.plan)
    values = {"text": text, "doer": doer, "doer_name": doer_name, "due_on": due_on}
    try:
        return save_at_revision(step, revision, values)
    except Step.DoesNotExist:
        raise ValidationError(_("Someone else has removed this step.")) from None


def goal_remove(*, goal: Goal) -> None:
    """Take a goal, and its steps, out of a plan that is not signed."""
    _editable(goal.plan)
    goal.delete()


def step_remove(*, step: Step) -> None:
    _editable(step.goal.plan)
    step.delete()


def participant_consent(
    *, participant: Participant, consent: bool, consent_on: datetime.date | None
) -> Participant:
    """The client gives or withdraws consent to one participant taking part."""
    _editable(participant.plan)
    participant.consent = consent
    participant.consent_on = (consent_on or timezone.localdate()) if consent else None
    participant.save(update_fields=["consent", "consent_on"])
    return participant


def participant_add(
    *,
    plan: Plan,
    name: str,
    agency: str,
    role: str,
    consent: bool,
    consent_on: datetime.date | None,
) -> Participant:
    _editable(plan)
    if consent and consent_on is None:
        consent_on = timezone.localdate()
    return Participant.objects.create(
        plan=plan, name=name, agency=agency, role=role, consent=consent, consent_on=consent_on
    )


def review_add(
    *,
    actor: User,
    plan: Plan,
    held_on: datetime.date,
    happened: str,
    changes: str,
    next_on: datetime.date | None = None,
) -> Review:
    """A review is follow-up, not an edit: it may be added to a signed plan, and sets the
    date of the next one."""
    return Review.objects.create(
        plan=plan,
        held_on=held_on,
        happened=happened,
        changes=changes,
        next_on=next_on,
        author=actor,
    )


def plan_share(*, actor: User, plan: Plan) -> Plan:
    """Let the client read the plan in the portal."""
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError(_("Only a draft can be shared."))
    if not plan.goals.exists():
        raise ValidationError(_("Write at least one goal before you share the plan."))
    plan.status = PlanStatus.SHARED
    plan.shared_at = timezone.now()
    plan.save(update_fields=["status", "shared_at"])
    return plan


def plan_sign(*, actor: User, plan: Plan) -> Plan:
    """Sign a plan the client has been able to read. From now on it is never changed."""
    if plan.status == PlanStatus.SIGNED:
        raise ValidationError(_("This plan is already signed."))
    if plan.status != PlanStatus.SHARED:
        raise ValidationError(_("Share the plan with the client before you sign it."))
    updated = Plan.objects.filter(pk=plan.pk, status=PlanStatus.SHARED).update(
        status=PlanStatus.SIGNED, signed_at=timezone.now(), signed_by=actor
    )
    if not updated:
        raise ValidationError(_("This plan is already signed."))
    plan.refresh_from_db()
    return plan


@transaction.atomic
def plan_new_version(*, actor: User, plan: Plan) -> Plan:
    """A change to a signed plan: a new draft version with the same goals, steps and
    participants. The signed version stays as it was."""
    if not plan.is_signed:
        raise ValidationError(_("Only a signed plan gets a new version; edit the draft."))
    if Plan.objects.filter(replaces=plan).exists():
        raise ValidationError(_("There is already a newer version of this plan."))
    new = Plan.objects.create(
        case=plan.case,
        kind=plan.kind,
        version=plan.version + 1,
        replaces=plan,
        review_on=plan.review_on,
        created_by=actor,
    )
    for goal in plan.goals.prefetch_related("steps"):
        copy = Goal.objects.create(plan=new, position=goal.position, text=goal.text, why=goal.why)
        Step.objects.bulk_create(
            Step(
                goal=copy,
                position=s.position,
                text=s.text,
                doer=s.doer,
                doer_name=s.doer_name,
                due_on=s.due_on,
            )
            for s in goal.steps.all()
        )
    Participant.objects.bulk_create(
        Participant(
            plan=new,
            name=p.name,
            agency=p.agency,
            role=p.role,
            consent=p.consent,
            consent_on=p.consent_on,
        )
        for p in plan.participants.all()
    )
    return new


def plan_respond(
    *, plan: Plan, accepted: bool, text: str, submission: uuid.UUID | None = None
) -> PlanResponse:
    """The client's answer to a signed plan, in their own words. Every answer is kept (the
    client may change their mind); the same form sent twice is one answer."""
    if not plan.is_signed:
        raise ValidationError(_("You can answer when the plan is signed."))
    if not accepted and not text.strip():
        raise ValidationError(_("Say in your own words what you do not accept."))
    response, _created = create_once(
        PlanResponse,
        submission,
        lambda: PlanResponse.objects.create(
            plan=plan, accepted=accepted, text=text, submission=submission
        ),
        plan=plan,
    )
    return response
