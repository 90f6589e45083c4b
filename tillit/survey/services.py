"""Loading the questions, opening a survey period, and recording answers. Nothing here
takes a request, a person, a case or a time: an answer is its period and its values."""

from __future__ import annotations

import datetime
import json
import secrets
import uuid
from collections.abc import Mapping
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tillit.lib.once import create_once
from tillit.org.models import Unit, User
from tillit.survey.models import (
    NO_HELP,
    VALUES,
    Answer,
    Channel,
    PaperTally,
    Period,
    Question,
    Questionnaire,
    Response,
)

QUESTIONNAIRES_DIR = Path(__file__).resolve().parent / "questionnaires"
DEFAULT = "annual"
LONGEST_PERIOD_DAYS = 92
# Paper forms handed in on the period's last days may be typed in for a while after it.
PAPER_DAYS_AFTER = 30
CODE_LETTERS = "ACDEFHJKMNPRTUVWXY3479"  # no 0/O, 1/I/L, 2/Z, 5/S, 6/G, 8/B to misread


def questionnaires_load(
    path: Path | None = None, *, models: tuple = (Questionnaire, Question)
) -> int:
    """Create or update the questionnaires from a versioned JSON file; returns how many.
    `models` lets the data migration pass its historical models."""
    questionnaire_model, question_model = models
    data = json.loads((path or QUESTIONNAIRES_DIR / "v1.json").read_text(encoding="utf-8"))
    for spec in data["questionnaires"]:
        spec = dict(spec)
        questions = spec.pop("questions")
        questionnaire, _created = questionnaire_model.objects.update_or_create(
            key=spec.pop("key"), defaults={**spec, "version": data["version"]}
        )
        for order, question in enumerate(questions):
            question_model.objects.update_or_create(
                questionnaire=questionnaire,
                key=question["key"],
                defaults={
                    "order": order,
                    "text": question["text"],
                    "scale": question["scale"],
                    "no_help": question.get("no_help", False),
                },
            )
    return len(data["questionnaires"])


def default_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(key=DEFAULT)


def unit_code(unit: Unit) -> str:
    letters = "".join(c for c in slugify(unit.name).upper() if c.isalpha())[:3] or "ENH"
    while True:
        code = f"{letters}-{''.join(secrets.choice(CODE_LETTERS) for _ in range(4))}"
        if not Period.objects.filter(code=code).exists():
            return code


@transaction.atomic
def period_open(
    *, actor: User, unit: Unit, starts_on: datetime.date, ends_on: datetime.date
) -> Period:
    """Open a survey period for `unit`. Refused if it ends before it starts, ends in the
    past, is longer than three months or overlaps another period of the unit. The caller
    has checked that `actor` leads the unit (or one above it)."""
    if ends_on < starts_on:
        raise ValidationError(_("The last day cannot be before the first."))
    if ends_on < timezone.localdate():
        raise ValidationError(_("A survey period cannot end in the past."))
    if (ends_on - starts_on).days >= LONGEST_PERIOD_DAYS:
        raise ValidationError(_("A survey period can be at most three months long."))
    # Lock the unit, so two leaders opening periods at once cannot both pass the check.
    Unit.objects.select_for_update().filter(pk=unit.pk).first()
    if Period.objects.filter(unit=unit, starts_on__lte=ends_on, ends_on__gte=starts_on).exists():
        raise ValidationError(_("The unit already has a survey period on some of these days."))
    return Period.objects.create(
        unit=unit,
        questionnaire=default_questionnaire(),
        starts_on=starts_on,
        ends_on=ends_on,
        code=unit_code(unit),
        token=secrets.token_urlsafe(24),
        opened_by=actor,
    )


def period_for_token(token: str) -> Period | None:
    if not token or len(token) > 64:
        return None
    return Period.objects.select_related("questionnaire").filter(token=token).first()


def may_type_paper(period: Period, day: datetime.date | None = None) -> bool:
    day = day or timezone.localdate()
    return period.starts_on <= day <= period.ends_on + datetime.timedelta(days=PAPER_DAYS_AFTER)


def _check(period: Period, answers: Mapping[str, int]) -> dict[str, Question]:
    questions = {q.key: q for q in period.questionnaire.questions.all()}
    for key, value in answers.items():
        question = questions.get(key)
        if question is None or value not in VALUES:
            raise ValidationError(_("An answer is not one of the choices."))
        if value == NO_HELP and not question.no_help:
            raise ValidationError(_("An answer is not one of the choices."))
    if not answers:
        raise ValidationError(_("Please answer at least one question."))
    return questions


def _record(
    *,
    period: Period,
    channel: str,
    answers: Mapping[str, int],
    free_text: str,
    submission: uuid.UUID | None,
) -> tuple[Response, bool]:
    questions = _check(period, answers)

    def create() -> Response:
        response = Response.objects.create(
            period=period, channel=channel, free_text=free_text.strip(), submission=submission
        )
        # In the order of the questions, all in one statement: nothing stored says which
        # answer came first either.
        Answer.objects.bulk_create(
            Answer(response=response, question=questions[key], value=value)
            for key, value in sorted(answers.items())
        )
        return response

    return create_once(Response, submission, create, period=period)


def response_record(
    *,
    period: Period,
    answers: Mapping[str, int],
    free_text: str = "",
    submission: uuid.UUID | None = None,
    day: datetime.date | None = None,
) -> Response:
    """Record an answer given on a phone through the unit link, while the period runs."""
    if not period.is_running(day):
        raise ValidationError(_("This survey is not open."))
    response, _made = _record(
        period=period,
        channel=Channel.PHONE,
        answers=answers,
        free_text=free_text,
        submission=submission,
    )
    return response


def paper_record(
    *,
    actor: User,
    period: Period,
    answers: Mapping[str, int],
    free_text: str = "",
    names_removed: bool = False,
    submission: uuid.UUID | None = None,
) -> tuple[Response, bool]:
    """Record a paper form typed in by `actor`. The answer does not say who typed it:
    only the count of forms per staff member goes up. Free text needs `names_removed`,
    the typist's word that no one can be recognised by name in it. Returns the answer
    and whether this call made it (False: the same form was sent twice)."""
    if not may_type_paper(period):
        raise ValidationError(_("Paper forms for this period can no longer be typed in."))
    if free_text.strip() and not names_removed:
        raise ValidationError(_("Remove any names from the text, then tick the box."))
    response, made = _record(
        period=period,
        channel=Channel.PAPER,
        answers=answers,
        free_text=free_text,
        submission=submission,
    )
    if made:
        tally, _created = PaperTally.objects.get_or_create(period=period, staff=actor)
        PaperTally.objects.filter(pk=tally.pk).update(forms=F("forms") + 1)
    return response, made
