"""Writes of the extracts app: order, approve, refuse, start a run, hand over its file,
and remove what has waited too long. Who may do each is decided here too (the views and
the command only ask), so the rules hold whichever way in. The audit rows are the
views' (tillit.clients.access.record), which hold the request."""

from __future__ import annotations

import datetime
import threading
import uuid
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connections, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.extracts import pseudonyms
from tillit.extracts.models import ACTIVE, Approval, Order, OrderState, Run, RunState
from tillit.org.models import LEADER_ROLES, Role, Unit, User, units_below


def evaluator_units(user: User) -> set[int]:
    """The units whose data `user` may order extracts of: those where they are evaluator,
    with the units below."""
    return units_below(user.unit_ids(Role.EVALUATOR))


def leader_units(user: User) -> set[int]:
    """The units whose extracts `user` approves: those they lead as team leader or
    manager, with the units below."""
    return units_below(user.unit_ids(*LEADER_ROLES))


def is_evaluator(user: User) -> bool:
    return bool(user.unit_ids(Role.EVALUATOR))


def orders_for(user: User) -> QuerySet[Order]:
    """The orders `user` may see: their own, and those of units they approve for."""
    return (
        Order.objects.filter(Q(ordered_by=user) | Q(units__in=leader_units(user)))
        .distinct()
        .select_related("ordered_by", "refused_by")
        .prefetch_related("units", "approvals__by")
    )


def covered(order: Order) -> set[int]:
    return {pk for approval in order.approvals.all() for pk in approval.units}


def unit_ids(order: Order) -> set[int]:
    return {unit.pk for unit in order.units.all()}


def may_decide(user: User, order: Order) -> bool:
    """A leader of some unit of the order that is not yet approved for, who did not order
    it, while the order waits."""
    if order.state != OrderState.PENDING or order.ordered_by_id == user.pk:
        return False
    mine = leader_units(user) & unit_ids(order)
    return bool(mine - covered(order))


@transaction.atomic
def order_create(
    *,
    actor: User,
    study: str,
    purpose: str,
    units: list[Unit],
    period_from: datetime.date,
    period_to: datetime.date,
    groups: list[str],
    language: str,
    submission: uuid.UUID | None = None,
) -> tuple[Order, bool]:
    """An evaluator's order for a study, of units they evaluate; made once however often
    the form is sent (returns the order and whether this call made it)."""
    if not is_evaluator(actor):
        raise PermissionDenied
    if not {u.pk for u in units} <= evaluator_units(actor):
        raise ValidationError(_("Choose only units you evaluate."))
    if submission is not None:
        stored = Order.objects.filter(submission=submission, ordered_by=actor).first()
        if stored is not None:
            return stored, False
    try:
        with transaction.atomic():
            order = Order.objects.create(
                study=study,
                purpose=purpose,
                period_from=period_from,
                period_to=period_to,
                groups=groups,
                language=language,
                ordered_by=actor,
                submission=submission,
            )
    except IntegrityError:
        stored = Order.objects.filter(submission=submission, ordered_by=actor).first()
        if stored is None:
            raise
        return stored, False
    order.units.set(units)
    return order, True


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().get(pk=order.pk)


@transaction.atomic
def order_approve(*, actor: User, order: Order) -> Order:
    """`actor` approves the units of the order they lead. When the approvals cover every
    unit the order is approved and its study's secret is drawn. Refused for someone who
    leads none of the units left, or who ordered it."""
    order = _locked(order)
    if order.ordered_by_id == actor.pk:
        raise ValidationError(_("You ordered this extract: another leader approves it."))
    if order.state != OrderState.PENDING:
        raise ValidationError(_("The order is already decided."))
    units = unit_ids(order)
    mine = leader_units(actor) & units
    if not mine:
        raise PermissionDenied
    done = covered(order)
    if not mine - done:
        raise ValidationError(_("You have already approved this order."))
    try:
        with transaction.atomic():
            Approval.objects.create(order=order, by=actor, units=sorted(mine - done))
    except IntegrityError:  # sent twice at once
        raise ValidationError(_("You have already approved this order.")) from None
    if units <= done | mine:
        order.state = OrderState.APPROVED
        order.decided_at = timezone.now()
        order.secret = pseudonyms.new_secret()
        order.save(update_fields=["state", "decided_at", "secret"])
    return order


@transaction.atomic
def order_refuse(*, actor: User, order: Order, reason: str) -> Order:
    """A leader of a unit of the order refuses it, with the reason; the order ends."""
    order = _locked(order)
    if order.ordered_by_id == actor.pk:
        raise ValidationError(_("You ordered this extract: another leader decides on it."))
    if order.state != OrderState.PENDING:
        raise ValidationError(_("The order is already decided."))
    if not leader_units(actor) & unit_ids(order):
        raise PermissionDenied
    order.state = OrderState.REFUSED
    order.decided_at = timezone.now()
    order.refused_by = actor
    order.refusal_reason = reason
    order.save(update_fields=["state", "decided_at", "refused_by", "refusal_reason"])
    return order


def _stop_stalled(order: Order) -> None:
    now = timezone.now()
    for run in order.runs.filter(state__in=ACTIVE):
        if run.stalled(now):
            Run.objects.filter(pk=run.pk, state__in=ACTIVE).update(
                state=RunState.FAILED, error="Interrupted", finished_at=now, updated_at=now
            )


@transaction.atomic
def run_start(*, actor: User | None, order: Order) -> Run:
    """A new run of an approved order, waiting to be produced; one at a time per order.
    `actor` is the evaluator who ordered it (None for `manage.py extract`)."""
    order = _locked(order)
    if actor is not None and order.ordered_by_id != actor.pk:
        raise PermissionDenied
    if not order.is_approved:
        raise ValidationError(_("The extract can be produced once it is approved."))
    runs_purge()
    _stop_stalled(order)
    if order.runs.filter(state__in=ACTIVE).exists():
        raise ValidationError(_("The extract is being produced already."))
    return Run.objects.create(order=order, started_by=actor)


def run_in_background(run: Run) -> threading.Thread:
    """Produce `run` in a thread of this process once the request's transaction commits.
    Its progress is on the run's row, which the page polls. A restart of the process
    ends the thread: the run then stops moving, is shown as stopped after STALE_AFTER and
    can be started again."""
    from tillit.extracts.produce import produce

    def work() -> None:
        try:
            produce(Run.objects.get(pk=run.pk))
        except Exception:  # recorded on the run (its state and kind of error)
            pass
        finally:
            connections.close_all()

    thread = threading.Thread(target=work, name=f"extract-{run.pk}", daemon=True)
    transaction.on_commit(thread.start)
    return thread


@transaction.atomic
def run_hand_over(*, actor: User, run: Run, path_of: Callable[[Run], Path]) -> tuple[Run, object]:
    """The file of a ready run for its evaluator, opened, then removed from the disk: it is
    kept only until it is downloaded. Returns the run and the open file."""
    run = Run.objects.select_for_update().select_related("order").get(pk=run.pk)
    if run.order.ordered_by_id != actor.pk:
        raise PermissionDenied
    if not run.order.is_approved or not run.downloadable():
        raise ValidationError(_("This extract is no longer there to download; produce it again."))
    path = path_of(run)
    handle = path.open("rb")
    # Removed once the download is on record; the open handle still reads it.
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    run.state = RunState.DOWNLOADED
    run.downloaded_at = timezone.now()
    run.save(update_fields=["state", "downloaded_at"])
    return run, handle


def runs_purge(now: datetime.datetime | None = None) -> int:
    """Remove the files of ready runs whose time is up, and what a run stopped by a restart
    left half written; returns how many runs expired."""
    from tillit.extracts.produce import directory, path_of

    now = now or timezone.now()
    expired = 0
    for run in Run.objects.filter(state=RunState.READY, expires_at__lte=now):
        path_of(run).unlink(missing_ok=True)
        expired += Run.objects.filter(pk=run.pk, state=RunState.READY).update(
            state=RunState.EXPIRED, updated_at=now
        )
    cutoff = (now - datetime.timedelta(hours=settings.EXTRACT_KEEP_HOURS)).timestamp()
    for part in directory().glob("extract-*.part"):
        if part.stat().st_mtime < cutoff:
            part.unlink(missing_ok=True)
    return expired
