"""Cases with a known history for the evidence tests, made with the factories and the real
feedback service. Names and texts are distinctive, so a test can look for them in every
response and file."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tillit.clients.models import AssignmentRole
from tillit.factories import AssignmentFactory, CaseFactory, EntryFactory, PersonFactory
from tillit.feedback import services as feedback
from tillit.feedback.models import Instrument

SECRET_NAMES = ("Zephyrine", "Quackenbush")
SECRET_TEXT = "Xylophonic confession about the blue caravan"
SECRET_NUMBER = "19800101-0018"


def meeting_case(
    unit,
    workers,
    *,
    opened: datetime.date | None = None,
    meetings: list | None = None,
    contact_persons: list | None = None,
    checks: list[tuple[int, int]] | None = None,
    person=None,
):  # type: ignore[no-untyped-def]
    """A case of `unit` with a meeting by each worker in `meetings` (a list of workers,
    one a week from `opened`), contact persons in turn from `contact_persons` (a list of
    (worker, started_on)), and the relationship and life checks of `checks` after the first
    meetings, as (relationship, life)."""
    today = timezone.localdate()
    opened = opened or today - datetime.timedelta(days=200)
    case = CaseFactory(person=person or PersonFactory(), unit=unit, opened_on=opened)
    periods = contact_persons or [(workers[0], opened)]
    for i, (worker, started) in enumerate(periods):
        ended = periods[i + 1][1] if i + 1 < len(periods) else None
        AssignmentFactory(
            case=case,
            worker=worker,
            role=AssignmentRole.CONTACT_PERSON,
            started_on=started,
            ended_on=ended,
        )
    entries = []
    tz = timezone.get_current_timezone()
    for i, worker in enumerate(meetings or []):
        day = opened + datetime.timedelta(days=7 * i + 1)
        entries.append(
            EntryFactory(
                case=case,
                author=worker,
                signed=True,
                kind="meeting",
                text=SECRET_TEXT,
                happened_at=datetime.datetime.combine(day, datetime.time(10), tz),
            )
        )
    if checks:
        instruments = {i.key: i for i in Instrument.objects.prefetch_related("items")}
        for entry, (relationship, life) in zip(entries, checks, strict=False):
            feedback.responses_record(
                entry=entry,
                instruments=[instruments["relationship"], instruments["life"]],
                answers={
                    "relationship": {
                        i.key: relationship for i in instruments["relationship"].items.all()
                    },
                    "life": {i.key: life for i in instruments["life"].items.all()},
                },
                open_answers={"relationship": SECRET_TEXT},
                channel="meeting",
                given_on=timezone.localtime(entry.happened_at).date(),
                worker=entry.author,
            )
    return case
