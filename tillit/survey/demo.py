"""The client survey in the demo municipality (called from `manage.py seed_demo`): for each
unit a period last year, one in the spring of this year (both ended, so their results
show) and one running now. The outpatient unit and the assessment group have enough
answers to show; the intake unit too few, so its figures are hidden. A few answers carry
words of the client's own, with no names."""

from __future__ import annotations

import datetime
import random
import secrets

from django.utils import timezone

from tillit.org.models import LEADER_ROLES, Membership, Role, Unit, User
from tillit.survey.models import (
    DONT_KNOW,
    NO_HELP,
    Answer,
    Channel,
    PaperTally,
    Period,
    Question,
    Response,
)
from tillit.survey.services import default_questionnaire, unit_code

# Unit name: (answers last year, this spring, running now), how well it goes (0-1), and
# how often clients keep one person (the assessment group hands clients on).
UNITS = {
    "Öppenvården vuxna": ((26, 22, 7), 0.82, 0.85),
    "Utredningsgruppen vuxna": ((14, 12, 3), 0.70, 0.45),
    "Mottagningen": ((6, 4, 2), 0.75, 0.5),
}
WORDS = {
    "Öppenvården vuxna": [
        "Jag blev lyssnad på och fick vara med och bestämma.",
        "Det har varit skönt att ha samma kontaktperson hela tiden.",
        "Svårt att komma fram på telefon ibland, men när vi väl träffas är det bra.",
        "Jag hade önskat att vi träffades oftare i början.",
    ],
    "Utredningsgruppen vuxna": [
        "Jag fick byta handläggare två gånger och fick berätta allt igen.",
        "Breven var svåra att förstå.",
    ],
    "Mottagningen": ["Trevligt bemötande i receptionen."],
}


def _value(rng: random.Random, question: Question, good: float, stable: float) -> int | None:
    if rng.random() < 0.05:
        return None  # left unanswered
    if question.no_help and rng.random() < 0.05:
        return NO_HELP
    if rng.random() < 0.06:
        return DONT_KNOW
    p = stable if question.key == "stable_person" else good
    if rng.random() < p:
        return 4 if rng.random() < 0.55 else 3
    return 2 if rng.random() < 0.7 else 1


def _leader(unit: Unit) -> User | None:
    membership = (
        Membership.objects.filter(unit=unit, role__in=LEADER_ROLES).select_related("user").first()
        or Membership.objects.filter(role__in=LEADER_ROLES).select_related("user").first()
    )
    return membership.user if membership else None


def load_demo(seed: int = 2026) -> None:
    if Period.objects.exists():
        return
    rng = random.Random(seed)
    questionnaire = default_questionnaire()
    questions = list(questionnaire.questions.all())
    today = timezone.localdate()
    running = (today - datetime.timedelta(days=10), today + datetime.timedelta(days=11))
    last_year = (datetime.date(today.year - 1, 9, 15), datetime.date(today.year - 1, 10, 5))
    spring = (datetime.date(today.year, 3, 2), datetime.date(today.year, 3, 22))
    for name, (counts, good, stable) in UNITS.items():
        unit = Unit.objects.filter(name=name).first()
        leader = _leader(unit) if unit else None
        if unit is None or leader is None:
            continue
        typist = User.objects.filter(memberships__unit=unit, memberships__role=Role.WORKER).first()
        words = list(WORDS[name])
        spans = [(last_year, counts[0]), (spring, counts[1]), (running, counts[2])]
        if spring[1] >= running[0]:  # early in the year: no spring period yet
            del spans[1]
        for (first, last), n in spans:
            period = Period.objects.create(
                unit=unit,
                questionnaire=questionnaire,
                starts_on=first,
                ends_on=last,
                code=unit_code(unit),
                token=secrets.token_urlsafe(24),
                opened_by=leader,
            )
            paper = 0
            for _ in range(n):
                on_paper = typist is not None and rng.random() < 0.3
                paper += on_paper
                text = words.pop() if words and rng.random() < 0.3 else ""
                response = Response.objects.create(
                    period=period,
                    channel=Channel.PAPER if on_paper else Channel.PHONE,
                    free_text=text,
                )
                values = {q: _value(rng, q, good, stable) for q in questions}
                if all(v is None for v in values.values()):
                    values[questions[-1]] = 4
                Answer.objects.bulk_create(
                    Answer(response=response, question=q, value=v)
                    for q, v in values.items()
                    if v is not None
                )
            if paper and typist is not None:
                PaperTally.objects.create(period=period, staff=typist, forms=paper)
