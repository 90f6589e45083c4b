"""A small municipality for the extract tests: named clients with identity numbers, free
text everywhere a worker or client writes it, and records of every kind an extract holds.
Every name, number and word is made up, and chosen so that a search of the zip finds it
only if it leaked."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from tillit.clients.models import Case, CaseStatus, Handover, JournalEntry
from tillit.decisions.models import Decision, Law
from tillit.extracts import services
from tillit.extracts.codebook import GROUP_KEYS
from tillit.extracts.models import Order
from tillit.factories import (
    AssignmentFactory,
    EntryFactory,
    PersonFactory,
    UnitFactory,
    UserFactory,
)
from tillit.feedback.models import Alert, Channel, Instrument, Response
from tillit.followup.models import Closing, FollowUp
from tillit.lib import ids
from tillit.org.models import Method, Role, Unit, User
from tillit.outcomes.models import Intervention

# What must never be in an extract.
SECRET_TEXT = [
    "Zebulonsdotter",
    "Quixleyberg",
    "relapse at the harbour on Friday",
    "wants her daughter back",
    "grounds: Xanthippa needs housing",
    "Boendestöd hos Vintergatan",
    "note about Ulrikehus",
    "over to you, about Qwertyson",
    "said the contact saved her",
    "applied for Lingonvägen",
]
START = datetime.date(2022, 3, 14)


@dataclass
class World:
    root: Unit
    outpatient: Unit
    assessment: Unit
    evaluator: User
    manager: User
    leader_out: User
    leader_assess: User
    worker: User
    cases: list[Case] = field(default_factory=list)
    dates: set[datetime.date] = field(default_factory=set)
    numbers: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)


def world(*, clients: int = 12, old_loner: bool = True, tag: str = "", first: int = 0) -> World:
    """Two units under one root: `clients` clients in the outpatient unit, alike enough
    that k-anonymity keeps them (women born in 1980, cases opened in 2022), and one
    80-year-old man alone in the assessment unit (`old_loner`)."""
    root = UnitFactory(name=f"Socialtjänsten Provby{tag}", does_intervention=False)
    outpatient = UnitFactory(name="Öppenvården Provby", parent=root)
    assessment = UnitFactory(name="Utredningen Provby", parent=root, does_assessment=True)
    w = World(
        root=root,
        outpatient=outpatient,
        assessment=assessment,
        evaluator=UserFactory.member(root, Role.EVALUATOR, username=f"{tag}evaluator"),
        manager=UserFactory.member(root, Role.MANAGER, username=f"{tag}manager"),
        leader_out=UserFactory.member(outpatient, Role.TEAM_LEADER, username=f"{tag}leader_out"),
        leader_assess=UserFactory.member(
            assessment, Role.TEAM_LEADER, username=f"{tag}leader_assess"
        ),
        worker=UserFactory.member(outpatient, Role.WORKER, username=f"{tag}worker_out"),
    )
    for n in range(first, first + clients):
        born = datetime.date(1980, 2, 1) + datetime.timedelta(days=n * 7)
        # An even serial's third-last digit is even: a woman.
        number = ids.make_swedish(born.strftime("%Y%m%d"), 100 + 2 * n)
        _client(w, outpatient, number, born, n, last=SECRET_TEXT[1] if n == 0 else f"Efternamn{n}")
    if old_loner:
        born = datetime.date(1942, 5, 17)
        _client(w, assessment, ids.make_swedish("19420517", 301), born, 99, last="Oldmanson")
    return w


def _client(w: World, unit: Unit, number: str, born: datetime.date, n: int, last: str) -> None:
    first = SECRET_TEXT[0] if n == 0 else f"Förnamn{n}"
    person = PersonFactory(first_name=first, last_name=last, id_country="se", id_number=number)
    w.names += [first, last]
    w.numbers.append(number)
    w.dates.add(born)
    opened = START + datetime.timedelta(days=n)
    closed = opened + datetime.timedelta(days=200) if n % 3 == 0 else None
    case = Case.objects.create(
        person=person,
        unit=unit,
        origin="application",
        origin_text=SECRET_TEXT[9],
        opened_on=opened,
        status=CaseStatus.CLOSED if closed else CaseStatus.INTERVENTION,
        closed_on=closed,
        assess=True,
        assess_reason="Ansökan prövas för " + SECRET_TEXT[0],
        assess_decided_on=opened + datetime.timedelta(days=3),
    )
    w.cases.append(case)
    w.dates |= {opened, opened + datetime.timedelta(days=3)}
    AssignmentFactory(case=case, worker=w.worker, started_on=opened)
    w.dates.add(opened)
    tz = timezone.get_current_timezone()
    relationship = Instrument.objects.get(key="relationship")
    life = Instrument.objects.get(key="life")
    for meeting in range(3):
        day = opened + datetime.timedelta(days=10 + 14 * meeting)
        w.dates.add(day)
        entry = EntryFactory(
            case=case,
            author=w.worker,
            signed=True,
            happened_at=datetime.datetime.combine(day, datetime.time(10), tz),
            text=f"Samtal: {SECRET_TEXT[2]}, {SECRET_TEXT[3]}",
            client_words=True,
        )
        for instrument, score in ((relationship, 8.0 + meeting % 2), (life, 5.0 + meeting)):
            response = Response.objects.create(
                person=person,
                case=case,
                entry=entry,
                worker=w.worker,
                instrument=instrument,
                channel=Channel.MEETING,
                given_on=day,
                score=score,
                open_answer=SECRET_TEXT[8],
            )
        if meeting == 1:
            Alert.objects.create(
                person=person,
                case=case,
                response=response,
                rule="drop",
                opened_at=datetime.datetime.combine(day, datetime.time(11), tz),
                closed_at=datetime.datetime.combine(day, datetime.time(15), tz),
                closed_by=w.worker,
                response_kind="talked",
                note=SECRET_TEXT[6],
            )
    decided = opened + datetime.timedelta(days=20)
    decision = Decision.objects.create(
        case=case,
        kind="method",
        what=SECRET_TEXT[5],
        outcome="granted",
        starts_on=decided,
        grounds=SECRET_TEXT[4],
        appeal_info="Överklaga till förvaltningsrätten.",
        law=Law.objects.get(key="se-sol-2025-assessed"),
        decided_on=decided,
        decided_by=w.worker,
        signed_at=timezone.now(),
        delegation="Delegation " + SECRET_TEXT[1],
    )
    w.dates |= {decided}
    Intervention.objects.create(
        case=case,
        kind="method",
        name=SECRET_TEXT[5],
        started_on=decided + datetime.timedelta(days=2),
        decision=decision,
        method=Method.objects.get(key="bam"),
        created_by=w.worker,
    )
    w.dates.add(decided + datetime.timedelta(days=2))
    if n == 1:
        Handover.objects.create(
            case=case,
            from_unit=unit,
            to_unit=w.assessment,
            note=SECRET_TEXT[7],
            sent_by=w.worker,
            sent_at=datetime.datetime.combine(
                opened + datetime.timedelta(days=5), datetime.time(9), tz
            ),
            state="declined",
            decided_at=datetime.datetime.combine(
                opened + datetime.timedelta(days=6), datetime.time(9), tz
            ),
            decline_reason="No room for " + SECRET_TEXT[1],
        )
        w.dates |= {opened + datetime.timedelta(days=5), opened + datetime.timedelta(days=6)}
    if closed:
        closing = Closing.objects.create(
            case=case,
            reason="goals_reached",
            reason_text=SECRET_TEXT[3],
            client_words=SECRET_TEXT[8],
            closed_on=closed,
            closed_by=w.worker,
        )
        held = closed + datetime.timedelta(days=180)
        FollowUp.objects.create(
            closing=closing,
            due_on=held,
            state="held",
            held_on=held,
            recorded_on=held,
            recorded_by=w.worker,
            channel="phone",
            change="lasting",
            client_words=SECRET_TEXT[8],
        )
        w.dates |= {closed, held}
    JournalEntry.objects.filter(case=case).count()  # the entries are in place


def order(
    w: World, *, groups: list[str] | None = None, units: list[Unit] | None = None, **kw
) -> Order:  # type: ignore[no-untyped-def]
    made, _new = services.order_create(
        actor=w.evaluator,
        study=kw.get("study", "Vad hjälper"),
        purpose=kw.get(
            "purpose", "Whether continuity of the contact person goes with better outcomes."
        ),
        units=units or [w.outpatient, w.assessment],
        period_from=kw.get("period_from", datetime.date(2020, 1, 1)),
        period_to=kw.get("period_to", timezone.localdate()),
        groups=GROUP_KEYS if groups is None else groups,
        language=kw.get("language", "en"),
    )
    return made


def approved(w: World, **kw) -> Order:  # type: ignore[no-untyped-def]
    made = order(w, **kw)
    return services.order_approve(actor=w.manager, order=made)


def url_objects(unit: Unit) -> dict:
    """What the URL walk (tillit/tests/test_urls.py) opens: an evaluator's order of `unit`
    waiting for its team leader, and a run of another order of theirs, approved."""
    evaluator = UserFactory.member(unit, Role.EVALUATOR, username="walk_evaluator")
    manager = UserFactory.member(unit, Role.MANAGER, username="walk_manager")

    def make(study: str) -> Order:
        made, _new = services.order_create(
            actor=evaluator,
            study=study,
            purpose="What the walk needs: an order of the unit.",
            units=[unit],
            period_from=datetime.date(2024, 1, 1),
            period_to=timezone.localdate(),
            groups=["checks"],
            language="en",
        )
        return made

    waiting = make("Walk study")
    done = services.order_approve(actor=manager, order=make("Walk study, approved"))
    return {
        "extract_order": waiting,
        "extract_run": services.run_start(actor=evaluator, order=done),
    }
