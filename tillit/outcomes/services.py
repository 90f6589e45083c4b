"""Writes of interventions; the view's access helper has already applied the policy and
written the audit row. The rules that span rows (which decision an intervention may carry
out) are checked here, and the form asks the same function (`problems`) so its errors
stand beside the fields."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import Case, CaseStatus, Person
from tillit.clients.services import case_advance
from tillit.decisions.models import Decision, Outcome
from tillit.lib.once import create_once
from tillit.org.models import Method, Role, Unit, User
from tillit.outcomes.models import (
    Intervention,
    Kind,
    LowThresholdService,
    Provider,
    Visit,
    VisitLink,
)

# How far back a visit may be linked to a client (days): the visitor says which visit
# was theirs while it is fresh in mind, and the list to choose from stays short.
LINK_DAYS = 60


def decisions_to_carry_out(case: Case) -> QuerySet[Decision]:
    """The decisions of `case` an intervention may carry out: signed, granted in whole or
    in part, and in force (not replaced by a signed decision; `Decision.objects.in_force`)."""
    return Decision.objects.in_force().filter(
        case=case, outcome__in=[Outcome.GRANTED, Outcome.PARTLY]
    )


def problems(
    *,
    case: Case,
    kind: str,
    decision: Decision | None = None,
    purchased: bool = False,
    provider: Provider | None = None,
    cost_amount: Decimal | None = None,
    cost_per: str = "",
    placement_form: str = "",
    method: Method | None = None,
) -> dict[str, str]:
    """What is wrong with an intervention about to start, field by field (empty if
    nothing). The database holds the rules about one row as well; these are said in
    words the worker can act on."""
    found: dict[str, str] = {}
    if decision is not None and not decisions_to_carry_out(case).filter(pk=decision.pk).exists():
        found["decision"] = _(
            "Choose a signed decision of this case that grants the intervention and has "
            "not been replaced."
        )
    if purchased and provider is None:
        found["provider"] = _("A purchased intervention needs its provider from the register.")
    if purchased and provider is not None and not provider.active:
        found["provider"] = _("This provider is no longer in use. Choose another.")
    if not purchased and provider is not None:
        found["provider"] = _("Leave the provider empty for an intervention of your own.")
    if kind == Kind.PLACEMENT and not placement_form:
        found["placement_form"] = _("Give the form of the placement.")
    if kind != Kind.PLACEMENT and placement_form:
        found["placement_form"] = _("Only a placement has a form of placement.")
    if kind == Kind.METHOD and method is None:
        found["method"] = _("Choose the method from the methods register.")
    if (cost_amount is None) != (not cost_per) and not (
        cost_amount is None and purchased and provider is not None
    ):
        found["cost_amount"] = _("Give the cost with what it is per (day or month), or neither.")
    if cost_amount is not None and cost_amount < 0:
        found["cost_amount"] = _("A cost cannot be below zero.")
    return found


def intervention_start(
    *,
    actor: User,
    case: Case,
    kind: str,
    name: str,
    started_on: datetime.date,
    decision: Decision | None = None,
    purchased: bool = False,
    provider: Provider | None = None,
    cost_amount: Decimal | None = None,
    cost_per: str = "",
    placement_form: str = "",
    method: Method | None = None,
    submission: uuid.UUID | None = None,
) -> Intervention:
    """Start an intervention on `case`. A purchased one without a cost of its own takes
    the provider's price from the register. The first intervention carrying out a
    decision starts its execution clock's end: the decision's `carried_out_on` is set to
    the start, once (in the same transaction)."""
    errors = problems(
        case=case,
        kind=kind,
        decision=decision,
        purchased=purchased,
        provider=provider,
        cost_amount=cost_amount,
        cost_per=cost_per,
        placement_form=placement_form,
        method=method,
    )
    if errors:
        raise ValidationError(errors)
    if purchased and provider is not None and cost_amount is None:
        cost_amount, cost_per = provider.cost_amount, provider.cost_per

    def create() -> Intervention:
        return Intervention.objects.create(
            case=case,
            kind=kind,
            name=name,
            started_on=started_on,
            decision=decision,
            purchased=purchased,
            provider=provider,
            cost_amount=cost_amount,
            cost_per=cost_per or "",
            placement_form=placement_form,
            method=method,
            created_by=actor,
            submission=submission,
        )

    with transaction.atomic():
        intervention, created = create_once(Intervention, submission, create, case=case)
        if created:
            case_advance(case, CaseStatus.INTERVENTION)
        if created and decision is not None:
            Decision.objects.filter(pk=decision.pk, carried_out_on__isnull=True).update(
                carried_out_on=started_on
            )
    return intervention


def intervention_end(*, intervention: Intervention, on: datetime.date) -> Intervention:
    if intervention.ended_on is not None:
        raise ValidationError(_("This intervention has already ended."))
    if on < intervention.started_on:
        raise ValidationError(_("Give an end date on or after the start."))
    intervention.ended_on = on
    intervention.save(update_fields=["ended_on"])
    return intervention


# -- services without needs assessment ----------------------------------------------------


def low_threshold_service_add(*, unit: Unit, name: str) -> LowThresholdService:
    """A new service the unit offers without an individual needs assessment."""
    name = name.strip()
    if LowThresholdService.objects.filter(unit=unit, name__iexact=name).exists():
        raise ValidationError({"name": _("The unit already has a service with this name.")})
    return LowThresholdService.objects.create(unit=unit, name=name)


def low_threshold_service_set_active(
    *, service: LowThresholdService, active: bool
) -> LowThresholdService:
    """Offer the service again, or stop offering it: its visits stay and are counted."""
    LowThresholdService.objects.filter(pk=service.pk).update(active=active)
    service.active = active
    return service


def visit_record(
    *,
    actor: User,
    service: LowThresholdService,
    day: datetime.date,
    persons: int = 1,
    sex: str = "",
    age_band: str = "",
    submission: uuid.UUID | None = None,
) -> tuple[Visit, bool]:
    """Record a visit to `service`, once however often the form is sent; returns the
    visit and whether this call recorded it. No identity: the day, how many came, and
    what the visitor chose to say of sex and age."""
    if not service.active:
        raise ValidationError(_("This service is no longer offered."))
    if day > timezone.localdate():
        raise ValidationError({"day": _("A visit cannot be recorded for a day to come.")})
    if persons < 1:
        raise ValidationError({"persons": _("At least one person came.")})

    def create() -> Visit:
        return Visit.objects.create(
            service=service,
            day=day,
            persons=persons,
            sex=sex,
            age_band=age_band,
            recorded_by=actor,
            submission=submission,
        )

    try:
        return create_once(Visit, submission, create, recorded_by=actor)
    except IntegrityError:  # another's key: no way into their visit
        raise ValidationError(_("This form was sent already. Open it again.")) from None


def visits_to_link(user: User, *, linked_to: Person | None = None) -> QuerySet[Visit]:
    """The visits `user` may link to a client: one person's visits (a group's are no one
    person's), not linked yet (or already linked to `linked_to`: a form sent twice), of
    the services of the units where the user works or leads, in the last LINK_DAYS days.
    Newest first."""
    since = timezone.localdate() - datetime.timedelta(days=LINK_DAYS)
    free = Q(link__isnull=True)
    if linked_to is not None:
        free |= Q(link__person=linked_to)
    return (
        Visit.objects.filter(
            free,
            service__unit_id__in=staff_units(user),
            persons=1,
            day__gte=since,
        )
        .select_related("service__unit")
        .order_by("-day", "-pk")
    )


def visit_link(
    *, actor: User, person: Person, visit: Visit, consent_on: datetime.date, consent: bool
) -> VisitLink:
    """Link `visit` to `person`'s record, which only the client's consent allows: the
    day they gave it and `actor`, who records it. The view's access helper has decided
    that `actor` may open the person, and written the audit row."""
    if not consent:
        raise ValidationError(
            {"consent": _("Only with the client's consent can a visit be linked to them.")}
        )
    if consent_on > timezone.localdate():
        raise ValidationError({"consent_on": _("Consent cannot be given on a day to come.")})
    already = VisitLink.objects.filter(visit=visit, person=person).first()
    if already is not None:  # the same link sent twice (a double click): made once
        return already
    problem = _("This visit cannot be linked: it is linked already, or it was a group's.")
    if not visits_to_link(actor).filter(pk=visit.pk).exists():
        raise ValidationError({"visit": problem})
    try:
        with transaction.atomic():
            return VisitLink.objects.create(
                visit=visit, person=person, consent_on=consent_on, consent_recorded_by=actor
            )
    except IntegrityError:  # linked by another request since: the one-to-one decides
        raise ValidationError({"visit": problem}) from None


def staff_units(user: User) -> set[int]:
    """The units whose services `user` records visits to: where they are a worker or a
    team leader."""
    return user.unit_ids(Role.WORKER, Role.TEAM_LEADER)
