"""Recording answers, raising and closing alerts, one-time links."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.clients.models import JournalEntry
from tillit.feedback import scoring
from tillit.feedback.models import (
    Alert,
    Answer,
    AnswerLink,
    Instrument,
    Item,
    Response,
    SwitchedOffItem,
)
from tillit.org.models import User

INSTRUMENTS_DIR = Path(__file__).resolve().parent / "instruments"
LINK_HOURS = 48


def instruments_load(path: Path | None = None, *, models: tuple = (Instrument, Item)) -> int:
    """Create or update the instruments from a versioned JSON file; returns how many.

    `models` lets the data migration pass its historical models.
    """
    instrument_model, item_model = models
    data = json.loads((path or INSTRUMENTS_DIR / "v1.json").read_text(encoding="utf-8"))
    for spec in data["instruments"]:
        items = spec.pop("items")
        instrument, _created = instrument_model.objects.update_or_create(
            key=spec.pop("key"), defaults={**spec, "version": data["version"]}
        )
        for order, item in enumerate(items):
            item_model.objects.update_or_create(
                instrument=instrument,
                key=item["key"],
                defaults={
                    "order": order,
                    "text": item["text"],
                    "optional": item.get("optional", False),
                    "choices": item.get("choices", []),
                },
            )
    return len(data["instruments"])


def instruments_for(when: str) -> list[Instrument]:
    return list(
        Instrument.objects.filter(active=True, when=when).prefetch_related("items").order_by("-key")
    )


def switched_off_keys(case_id: int) -> frozenset[str]:
    return frozenset(
        SwitchedOffItem.objects.filter(case_id=case_id).values_list("item__key", flat=True)
    )


MESSAGES = {
    "missing": gettext_lazy("Please answer every question."),
    "range": gettext_lazy("An answer is outside the scale."),
}


@transaction.atomic
def responses_record(
    *,
    entry: JournalEntry,
    instruments: list[Instrument],
    answers: dict[str, dict[str, int | None]],
    open_answers: dict[str, str],
    channel: str,
    given_on: datetime.date,
    worker: User | None,
) -> list[Response]:
    """Record the client's answers to several instruments for one meeting, all or none,
    and raise the alerts their rules call for.

    `answers` maps instrument key to item key to value. Refuses out-of-range values,
    missing required items, and a second set of answers for the same meeting.
    """
    case = entry.case
    off = switched_off_keys(case.pk)
    recorded = []
    for instrument in instruments:
        items = list(instrument.items.all())
        try:
            score = scoring.score(
                answers.get(instrument.key, {}),
                [item.spec() for item in items],
                method=instrument.scoring,
                low=instrument.scale_min,
                high=instrument.scale_max,
                switched_off=off,
            )
        except scoring.AnswerError as error:
            raise ValidationError(MESSAGES[error.code], code=error.code) from None
        earlier = list(
            Response.objects.filter(case=case, instrument=instrument)
            .order_by("given_on", "created_at")
            .values_list("score", flat=True)
        )
        try:
            with transaction.atomic():
                response = Response.objects.create(
                    person_id=case.person_id,
                    case=case,
                    entry=entry,
                    worker=worker,
                    instrument=instrument,
                    channel=channel,
                    given_on=given_on,
                    score=score,
                    open_answer=open_answers.get(instrument.key, "").strip(),
                )
        except IntegrityError:
            raise ValidationError(
                _("These answers were already given for this meeting."), code="duplicate"
            ) from None
        given = {
            key: value
            for key, value in answers.get(instrument.key, {}).items()
            if value is not None and key not in off
        }
        Answer.objects.bulk_create(
            Answer(response=response, item=item, value=given[item.key])
            for item in items
            if item.key in given
        )
        fired = scoring.triggered(instrument.rules, earlier, score)
        # One open alert per rule and instrument is enough: while it waits for a response,
        # the same signal again would only bury it.
        waiting = set(
            Alert.objects.open()
            .filter(case=case, response__instrument=instrument, rule__in=fired)
            .values_list("rule", flat=True)
        )
        for rule in fired:
            if rule not in waiting:
                Alert.objects.create(
                    person_id=case.person_id, case=case, response=response, rule=rule
                )
        recorded.append(response)
    return recorded


def answer_link_create(*, actor: User, entry: JournalEntry, when: str) -> tuple[AnswerLink, str]:
    """A one-time link for the client's phone. The token is shown once and not stored."""
    lasts = datetime.timedelta(hours=LINK_HOURS)
    return AnswerLink.issue(lasts=lasts, entry=entry, when=when, created_by=actor)


def answer_link_open(token: str) -> AnswerLink | None:
    """The unused, unexpired link for `token`, locked for this transaction."""
    return AnswerLink.usable(token).select_related("entry__case").first()


def answer_link_use(answer_link: AnswerLink) -> None:
    """The client has answered through the link: it opens no more."""
    answer_link.used_at = timezone.now()
    answer_link.save(update_fields=["used_at"])


def alert_close(*, actor: User, alert: Alert, kind: str, note: str) -> Alert:
    if alert.closed_at:
        raise ValidationError(_("This alert is already closed."))
    if not note.strip():
        raise ValidationError(_("Write what was done."))
    closed = {"closed_at": timezone.now(), "closed_by": actor, "response_kind": kind}
    closed["note"] = note.strip()
    # Only if still open: a second tab or a double click must not replace the response
    # the first recorded (on PostgreSQL the second waits for the first's row and then
    # finds it closed).
    if not Alert.objects.filter(pk=alert.pk, closed_at__isnull=True).update(**closed):
        raise ValidationError(_("This alert is already closed."))
    for field, value in closed.items():
        setattr(alert, field, value)
    return alert
