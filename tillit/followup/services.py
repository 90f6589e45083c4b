"""Closing a case, reopening it, and the follow-ups after it. The view's access helper has
already applied the policy and written the request's audit row; each function here is one
transaction that decides under a row lock, so a double click or a second tab gets a
message, never a second closing or a 500."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStatus,
    EntryStatus,
    JournalEntry,
)
from tillit.clients.services import entry_sign
from tillit.decisions.queries import open_periods
from tillit.feedback.models import Instrument
from tillit.followup.models import (
    Attempt,
    CancelReason,
    Channel,
    Closing,
    FollowUp,
    FollowUpLink,
    Reason,
    State,
    TryHow,
)
from tillit.lib.dates import add_months
from tillit.org.models import Role, User

# When to follow up, in months after closing, unless the worker chooses otherwise.
FOLLOW_UP_MONTHS = (6, 12)
# A follow-up link waits longer than a meeting's: the client answers when they find time.
LINK_DAYS = 14
SIGN, DISCARD = "sign", "discard"
ALREADY_CLOSED = gettext_lazy("The case is already closed.")
REOPENED = gettext_lazy(
    "This case period has already been reopened: the new period is on the client's page."
)
LIFE = "life"  # the life check's instrument: its areas are asked at follow-up too


def default_dates(closed_on: datetime.date) -> list[datetime.date]:
    return [add_months(closed_on, n) for n in FOLLOW_UP_MONTHS]


def life_check() -> Instrument | None:
    """The life check (feedback's instrument `life`) with its areas, if it is loaded."""
    return Instrument.objects.filter(key=LIFE).prefetch_related("items").first()


# -- what stands in the way of closing ---------------------------------------------------


def open_decisions_message(case: Case, on: datetime.date) -> str:
    """Why the case cannot close on `on` for its decisions, or "" if it can."""
    periods = list(open_periods(case, on))
    if not periods:
        return ""
    named = "; ".join(
        _("%(what)s, until %(until)s")
        % {
            "what": d.what,
            "until": date_format(d.ends_on, "SHORT_DATE_FORMAT") if d.ends_on else _("further"),
        }
        for d in periods
    )
    return _(
        "A granted decision is still in force (%(decisions)s). End it with a new decision "
        "before the case is closed."
    ) % {"decisions": named}


def others_drafts_message(drafts: Iterable[JournalEntry], actor: User) -> str:
    """Whose unsigned drafts block the closing: only their authors sign or remove them."""
    authors = sorted({str(d.author) for d in drafts if d.author_id != actor.pk})
    if not authors:
        return ""
    return _(
        "There are unsigned drafts on the case by %(names)s. They sign or remove them "
        "before the case is closed."
    ) % {"names": ", ".join(authors)}


# -- closing -----------------------------------------------------------------------------


def _lock(case: Case) -> str | None:
    """Lock the case's row for the transaction; its status as it is now."""
    return (
        Case.objects.select_for_update().filter(pk=case.pk).values_list("status", flat=True).first()
    )


@transaction.atomic
def case_close(
    *,
    actor: User,
    case: Case,
    reason: str,
    closed_on: datetime.date,
    drafts: dict[int, str],
    follow_up_on: Iterable[datetime.date],
    reason_text: str = "",
    client_words: str = "",
) -> Closing:
    """Close `case` with why, the client's own summary, what becomes of each of the
    closing user's unsigned drafts (`drafts`: entry key to "sign" or "discard", every
    one chosen), and the days to follow up on. Refused while a granted decision is in
    force on `closed_on`, while someone else's draft is on the case, or if the case is
    closed already (a double click, a second tab: code "closed")."""
    if _lock(case) == CaseStatus.CLOSED:
        raise ValidationError(ALREADY_CLOSED, code="closed")
    today = timezone.localdate()
    if closed_on > today:
        raise ValidationError(_("A case cannot be closed in the future."), code="future")
    if closed_on < case.opened_on:
        raise ValidationError(_("A case cannot be closed before it was opened."))
    if reason not in Reason.values:
        raise ValidationError(_("Choose why the case closes."))
    if reason == Reason.OTHER and not reason_text.strip():
        raise ValidationError(_("Say in a few words why the case closes."))
    dates = sorted(set(follow_up_on))
    if dates and reason == Reason.DIED:
        raise ValidationError(_("No follow-up is planned with a client who has died."))
    if any(day <= closed_on for day in dates):
        raise ValidationError(_("A follow-up is planned after the day the case closes."))
    blocked = open_decisions_message(case, closed_on)
    if blocked:
        raise ValidationError(blocked, code="decision")
    handled = _handle_drafts(actor, case, drafts)
    case.set_status(CaseStatus.CLOSED, on=closed_on)
    try:
        with transaction.atomic():
            closing = Closing.objects.create(
                case=case,
                reason=reason,
                reason_text=reason_text.strip(),
                client_words=client_words.strip(),
                closed_on=closed_on,
                closed_by=actor,
                drafts=handled,
            )
    except IntegrityError:  # closed meanwhile, where the row lock does not hold
        raise ValidationError(ALREADY_CLOSED, code="closed") from None
    FollowUp.objects.bulk_create(FollowUp(closing=closing, due_on=day) for day in dates)
    return closing


def _handle_drafts(actor: User, case: Case, chosen: dict[int, str]) -> list[dict]:
    """Sign or discard each of the actor's drafts as chosen; refuse if anyone else's draft
    is on the case, or if one of the actor's was not chosen for (written in another tab
    since the page was read)."""
    drafts = list(
        JournalEntry.objects.select_for_update()
        .filter(case=case, status=EntryStatus.DRAFT)
        .select_related("author")
        .order_by("happened_at", "pk")
    )
    others = others_drafts_message(drafts, actor)
    if others:
        raise ValidationError(others, code="drafts")
    if any(chosen.get(d.pk) not in (SIGN, DISCARD) for d in drafts):
        raise ValidationError(
            _("Choose for each of your unsigned drafts whether it is signed or discarded."),
            code="drafts",
        )
    handled = []
    for draft in drafts:
        pk, done = draft.pk, chosen[draft.pk]
        written = timezone.localtime(draft.happened_at).date().isoformat()
        if done == SIGN:
            entry_sign(actor=actor, entry=draft)
        else:
            try:
                draft.delete()
            except ProtectedError:
                raise ValidationError(
                    _(
                        "The draft of %(day)s has the client's answers attached to it: sign it "
                        "instead."
                    )
                    % {"day": written}
                ) from None
        handled.append({"entry": pk, "written": written, "done": done})
    return handled


@transaction.atomic
def case_reopen(*, actor: User, case: Case, origin: str, origin_text: str = "") -> Case:
    """Start a new period of a closed case: a new inquiry in the same unit, linked to the
    old one (which stays as it was, readable), with the reopening worker as contact
    person. The old period's follow-ups still pending are cancelled: the client is back.
    Once per closed case (Case.previous is unique)."""
    if _lock(case) != CaseStatus.CLOSED:
        raise ValidationError(_("Only a closed case can be reopened."))
    if Case.objects.filter(previous=case).exists():
        raise ValidationError(REOPENED, code="reopened")
    if case.unit_id not in actor.unit_ids(Role.WORKER, Role.TEAM_LEADER):
        raise ValidationError(_("You can only open cases in your own units."))
    try:
        with transaction.atomic():
            new = Case.objects.create(
                person=case.person,
                unit=case.unit,
                origin=origin,
                origin_text=origin_text.strip(),
                previous=case,
                status=CaseStatus.INQUIRY,
            )
    except IntegrityError:
        raise ValidationError(REOPENED, code="reopened") from None
    if case.unit_id in actor.unit_ids(Role.WORKER):
        Assignment.objects.create(case=new, worker=actor, role=AssignmentRole.CONTACT_PERSON)
    FollowUp.objects.filter(closing__case=case, state=State.DUE).update(
        state=State.CANCELLED, cancel_reason=CancelReason.REOPENED, finished_at=timezone.now()
    )
    return new


# -- follow-ups ---------------------------------------------------------------------------


def _lock_open(followup: FollowUp) -> None:
    state = (
        FollowUp.objects.select_for_update()
        .filter(pk=followup.pk)
        .values_list("state", flat=True)
        .first()
    )
    if state == State.HELD:
        raise ValidationError(_("This follow-up is already recorded."), code="held")
    if state == State.CANCELLED:
        raise ValidationError(_("This follow-up was cancelled: the case was reopened."))


def _check_life(life: dict[str, int | None]) -> dict[str, int]:
    instrument = life_check()
    if instrument is None:
        return {}
    scale = range(instrument.scale_min, instrument.scale_max + 1)
    keys = {item.key for item in instrument.items.all()}
    kept = {key: value for key, value in life.items() if value is not None}
    if set(kept) - keys or any(value not in scale for value in kept.values()):
        raise ValidationError(_("An answer is outside the scale."))
    return kept


@transaction.atomic
def followup_record(
    *,
    followup: FollowUp,
    held_on: datetime.date,
    channel: str,
    change: str,
    actor: User | None,
    life: dict[str, int | None] | None = None,
    substance: str = "",
    housing: str = "",
    occupation: str = "",
    sought_help: bool | None = None,
    client_words: str = "",
) -> FollowUp:
    """Record a follow-up as held: a conversation with the client (`actor` the worker),
    or the client's own answer through a link (`actor` None). Never on a day to come."""
    _lock_open(followup)
    followup.refresh_from_db()
    followup.state = State.HELD
    followup.held_on = held_on
    followup.recorded_on = timezone.localdate()
    followup.recorded_by = actor
    followup.channel = channel
    followup.change = change
    followup.life = _check_life(life or {})
    followup.substance = substance
    followup.housing = housing
    followup.occupation = occupation
    followup.sought_help = sought_help
    followup.client_words = client_words.strip()
    followup.finished_at = timezone.now()
    followup.clean()
    followup.save()
    return followup


@transaction.atomic
def attempt_record(
    *,
    actor: User,
    followup: FollowUp,
    tried_on: datetime.date,
    how: str,
    note: str = "",
    give_up: bool = False,
) -> Attempt:
    """A try to reach the client; with `give_up`, the follow-up is recorded as not
    reached, with every try counted."""
    _lock_open(followup)
    if tried_on > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
    attempt = Attempt.objects.create(
        followup=followup, tried_on=tried_on, how=how, note=note.strip(), by=actor
    )
    if give_up:
        followup.state = State.NOT_REACHED
        followup.finished_at = timezone.now()
        followup.save(update_fields=["state", "finished_at"])
    return attempt


@transaction.atomic
def link_create(*, actor: User, followup: FollowUp) -> tuple[FollowUpLink, str]:
    """A one-time link for the client's phone; the token is shown once and not stored.
    An older unused link of the same follow-up stops working. Sending it counts as a
    try to reach the client."""
    _lock_open(followup)
    now = timezone.now()
    FollowUpLink.objects.filter(followup=followup, used_at__isnull=True, expires_at__gt=now).update(
        expires_at=now
    )
    lasts = datetime.timedelta(days=LINK_DAYS)
    link, token = FollowUpLink.issue(lasts=lasts, followup=followup, created_by=actor)
    Attempt.objects.create(
        followup=followup, tried_on=timezone.localdate(), how=TryHow.LINK, by=actor
    )
    return link, token


def link_open(token: str) -> FollowUpLink | None:
    """The unused, unexpired link for `token` of a follow-up still to be held, locked for
    this transaction; None for anything else, whatever the reason."""
    return (
        FollowUpLink.usable(token)
        .select_related("followup__closing__case__person")
        .filter(followup__state__in=[State.DUE, State.NOT_REACHED])
        .first()
    )


@transaction.atomic
def link_answer(*, link: FollowUpLink, **answers) -> FollowUp:
    """The client's answer through the link: the follow-up is held today, and the link
    opens no more."""
    followup = followup_record(
        followup=link.followup,
        held_on=timezone.localdate(),
        channel=Channel.LINK,
        actor=None,
        **answers,
    )
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    return followup
