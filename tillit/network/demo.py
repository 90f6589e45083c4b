"""Demo networks for `manage.py seed_demo`: people around the first open cases, consents,
one family group conference carried through to follow-up, one reflecting team."""

from __future__ import annotations

import datetime
import random

from django.db.models import F
from django.utils import timezone

from tillit.clients.models import Assignment, Case, CaseStatus
from tillit.network import services

PEOPLE = [
    ("Mamma Birgitta", "family", 1, "support", "Hon finns alltid där."),
    ("Bror Johan", "family", 2, "both", "Vi bråkar men han ställer upp."),
    ("Kompisen Ali", "friend", 1, "support", "Vi tränar ihop."),
    ("Grannen Gunilla", "neighbour", 3, "support", ""),
    ("Gamla gänget", "friend", 3, "strain", "Där dricker alla."),
    ("Arbetsförmedlingen", "professional", 2, "support", ""),
    ("Kusin Elin", "relative", 2, "support", ""),
    ("Chefen på lagret", "work", 3, "both", ""),
]


def load_demo(seed: int, cases: int = 12) -> None:
    """Networks around the first open cases, the portal demo's client's first (the demo
    tells one client's story on every page), then the demo groups (tillit.groups.demo)."""
    from tillit.groups.demo import load_demo as load_groups_demo

    load_groups_demo(seed)
    rng = random.Random(seed + 7)
    today = timezone.localdate()
    open_cases = list(
        Case.objects.exclude(status=CaseStatus.CLOSED)
        .filter(pk__in=Assignment.objects.current().values("case_id"))
        .select_related("person")
        .order_by(F("person__account").asc(nulls_last=True), "id")[:cases]
    )
    for n, case in enumerate(open_cases):
        worker = Assignment.objects.current().filter(case=case).first().worker  # type: ignore[union-attr]
        start = max(case.opened_on, today - datetime.timedelta(days=120))
        members = []
        for name, relation, circle, quality, words in rng.sample(PEOPLE, rng.randint(4, 8)):
            member = services.member_add(
                actor=worker,
                person=case.person,
                circle=circle,
                on=start,
                name=name,
                relation=relation,
                quality=quality,
                client_words=words,
            )
            if relation != "friend" or quality != "strain":
                services.consent_give(actor=worker, member=member, purpose="invite", on=start)
                members.append(member)
            if rng.random() < 0.3:
                services.member_move(member=member, circle=1 + circle % 3, on=today)
        if n == 0 and members:
            _conference(case, worker, members, start, today)
        if n == 1 and members:
            services.meeting_record(
                actor=worker,
                case=case,
                members=members[:2],
                journal=True,
                held_on=today - datetime.timedelta(days=3),
                kind="reflecting",
                purpose="Att tänka tillsammans om sommaren.",
                client_words="Jag vill klara sommaren utan att dricka.",
                reflections="Teamet hörde både oro och mycket vilja.",
                response="Det kändes bra att höra att andra ser vad jag kämpar med.",
            )


def _conference(case, worker, members, start, today) -> None:
    conference = services.conference_request(
        actor=worker,
        case=case,
        questions="Hur kan familjen och nätverket stödja under helgerna?",
        agreement="Klienten och mamma vill ha ett familjerådslag.",
        on=start,
    )
    services.conference_appoint(conference=conference, name="Eva Samordnare", on=start)
    for member in members[:3]:
        services.invite(actor=worker, member=member, conference=conference)
    held = max(start, today - datetime.timedelta(days=14))
    services.conference_hold(
        conference=conference,
        held_on=held,
        information="Socialtjänsten och beroendemottagningen berättade vad de vet.",
        private_time="Familjen pratade i en timme utan personal.",
        plan_summary="Familjen turas om att finnas med under helgerna.",
    )
    services.step_add(
        conference=conference,
        what="Lördagar hos mamma",
        owner_kind="member",
        owner_member=members[0],
        owner_name="",
        by_when=held + datetime.timedelta(days=30),
    )
    services.step_add(
        conference=conference,
        what="Ringa kontaktpersonen om det blir svårt",
        owner_kind="client",
        owner_name="",
        by_when=held + datetime.timedelta(days=30),
    )
    services.conference_decide(actor=worker, conference=conference, decision="accepted", on=held)
    services.follow_up_record(
        actor=worker, conference=conference, held_on=today, notes="Två helger har gått bra."
    )
