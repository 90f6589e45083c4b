"""Demo data for the leaders' evidence pages: an integrated unit beside the demo's chain.

The demo municipality (clients/management/commands/seed_demo.py) is built as a chain of
specialised units: intake, an assessment group, outpatient care, and its clients change
contact person as the chain hands them on. Nothing there assesses *and* treats, so there
is no integrated unit to compare with. `load_demo` adds one, "Samordnade teamet", with a
team leader and two workers whose clients mostly keep one contact person from assessment
to follow-up, their meetings and checks, and then computes the figures, so that the
continuity pages show two models with visibly different continuity. It adds nothing if
an integrated unit with cases is already there.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.utils import timezone

from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    CaseStatus,
    EntryKind,
    EntryStatus,
    JournalEntry,
    Origin,
    Person,
)
from tillit.evidence.refresh import refresh
from tillit.feedback import services as feedback
from tillit.feedback.models import Instrument
from tillit.lib import ids
from tillit.org.models import Membership, Role, Unit, User

UNIT = "Samordnade teamet"
STAFF = [
    ("nora", "Nora", "Vestergaard", Role.TEAM_LEADER),
    ("olle", "Olle", "Bäckström", Role.WORKER),
    ("frida", "Frida", "Lindahl", Role.WORKER),
]
FIRST = ["Alva", "Bo", "Cecilia", "Dragan", "Emma", "Filip", "Greta", "Hugo", "Irma", "Jens"]
LAST = ["Ahl", "Borg", "Dahl", "Falk", "Grön", "Hägg", "Lööf", "Moberg", "Sund", "Wall"]
TEXT = "Samtal om veckan och om planen framåt."


def needed() -> bool:
    return not Case.objects.filter(
        unit__does_assessment=True, unit__does_intervention=True
    ).exists()


@transaction.atomic
def load_demo(password: str, seed: int = 2026, clients: int = 24) -> bool:
    """Add the integrated unit, its staff and clients if the demo has none, and compute
    the figures. Returns whether anything was added."""
    added = needed()
    if added:
        _integrated_unit(password, random.Random(seed), clients)
    refresh()
    return added


def _integrated_unit(password: str, rng: random.Random, clients: int) -> None:
    root = Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    unit = Unit.objects.create(
        name=UNIT,
        parent=root,
        does_assessment=True,
        does_intervention=True,
        does_follow_up=True,
    )
    staff = {}
    for username, first, last, role in STAFF:
        user = User.objects.filter(username=username).first() or User.objects.create_user(
            username, f"{username}@lillby.example", password, first_name=first, last_name=last
        )
        Membership.objects.create(user=user, unit=unit, role=role)
        staff[username] = user
    workers = [staff["olle"], staff["frida"]]
    instruments = {i.key: i for i in Instrument.objects.prefetch_related("items")}
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    for n in range(clients):
        born = datetime.date(1965, 1, 1) + datetime.timedelta(days=rng.randint(0, 35 * 365))
        person = Person(
            first_name=rng.choice(FIRST),
            last_name=rng.choice(LAST),
            id_country=ids.SWEDEN,
            id_number=ids.make_swedish(born.strftime("%Y%m%d"), 500 + n * 11 % 400),
        )
        person.full_clean()
        person.save()
        opened = today - datetime.timedelta(days=rng.randint(90, 2 * 365))
        case = Case.objects.create(
            person=person,
            unit=unit,
            opened_on=opened,
            origin=Origin.APPLICATION,
            origin_text="Ansökan om stöd.",
            status=rng.choice([CaseStatus.ASSESSMENT, CaseStatus.INTERVENTION]),
        )
        worker = workers[n % 2]
        # One contact person from assessment on; one client in twelve changes once.
        change = opened + datetime.timedelta(days=rng.randint(60, 80)) if n % 12 == 3 else None
        Assignment.objects.create(
            case=case,
            worker=worker,
            role=AssignmentRole.CONTACT_PERSON,
            started_on=opened,
            ended_on=change,
        )
        if change:
            Assignment.objects.create(
                case=case,
                worker=workers[(n + 1) % 2],
                role=AssignmentRole.CONTACT_PERSON,
                started_on=change,
            )
        day, level = opened + datetime.timedelta(days=3), rng.uniform(7.0, 9.0)
        while day < today:
            holder = workers[(n + 1) % 2] if change and day >= change else worker
            # Now and then the colleague covers a meeting.
            author = workers[(workers.index(holder) + 1) % 2] if rng.random() < 0.03 else holder
            at = datetime.datetime.combine(day, datetime.time(rng.randint(8, 15)), tz)
            entry = JournalEntry.objects.create(
                case=case,
                happened_at=at,
                kind=rng.choice([EntryKind.MEETING, EntryKind.MEETING, EntryKind.HOME_VISIT]),
                text=TEXT,
                author=author,
                status=EntryStatus.SIGNED,
                signed_at=at + datetime.timedelta(hours=1),
                signed_by=author,
                created_at=at,
            )
            level = min(10.0, max(4.0, level + rng.uniform(-0.4, 0.6)))
            if rng.random() < 0.8:

                def around(centre: float) -> int:
                    return max(0, min(10, round(centre + rng.uniform(-1, 1))))

                feedback.responses_record(
                    entry=entry,
                    instruments=[instruments[k] for k in ("relationship", "life", "unwanted")],
                    answers={
                        "relationship": {
                            i.key: around(level) for i in instruments["relationship"].items.all()
                        },
                        "life": {i.key: around(level - 2) for i in instruments["life"].items.all()},
                        "unwanted": {"harder": int(rng.random() < 0.04)},
                    },
                    open_answers={},
                    channel="meeting",
                    given_on=day,
                    worker=author,
                )
            day += datetime.timedelta(days=rng.randint(7, 16))
