"""BaM moments for the synthetic municipality (bench/seed.py calls `seed_moments` last).

About ten moments per client over the life of their first case: weak moments more often
early and strong ones later, confidence drifting up with noise, tags from a realistic list
(each client uses a few of their own), short notes in the board's three columns. Most are
explored in meetings and written by the contact person of the day; some the client wrote.
Deterministic from the seed; written with COPY on PostgreSQL like the rest of the seed.
"""

from __future__ import annotations

import bisect
import datetime
import random
from collections.abc import Callable

from django.db import connection, transaction
from django.utils import timezone

CHUNK = 2000  # persons per write
RISK_TAGS = [
    "lönedag",
    "ensam hemma",
    "fredagskväll",
    "gamla vänner",
    "bråk hemma",
    "sömnlös",
    "stress på jobbet",
    "fest",
    "ångest",
    "helg",
    "tråkigt",
    "smärta",
]
STRENGTH_TAGS = ["träning", "ringde en vän", "barnen", "jobbet", "mötet", "promenad", "syster"]
TITLES_WEAK = [
    "Lönedagen",
    "Fredag efter jobbet",
    "När jag var ensam hemma",
    "Festen hos grannen",
    "Efter bråket",
    "Natten jag inte kunde sova",
]
TITLES_STRONG = [
    "Sa nej till Jonny",
    "Gick hem från festen",
    "Ringde min syster i stället",
    "Lönedag utan att dricka",
    "Tog en promenad när suget kom",
    "Stannade hemma med barnen",
]
NOTES = {
    "antecedent": [
        "Fick lön på morgonen",
        "Ensam hela kvällen",
        "Gammal vän ringde",
        "Orolig inför veckan",
        "Trött och irriterad",
        "Var på väg hem från jobbet",
        "Tänkte: en öl gör inget",
        "Spänd i kroppen",
    ],
    "behaviour": [
        "Gick till affären",
        "Köpte öl",
        "Tackade nej",
        "Ringde min syster",
        "Gick en annan väg hem",
        "Satte på en film",
        "Gick ut och gick",
    ],
    "consequence": [
        "Lättnad först, skam dagen efter",
        "Stolt på morgonen",
        "Missade mötet",
        "Sov gott",
        "Bråk med sambon",
        "Pengarna räckte hela månaden",
    ],
}
INSTEAD = [
    "Ringa min syster när lönen kommer",
    "Gå en annan väg hem från jobbet",
    "Ha något planerat på fredagskvällen",
    "Säga till Jonny att jag inte dricker nu",
]
WORKED = [
    "Jag hade bestämt mig innan",
    "Promenaden tog bort suget",
    "Att tänka på barnen",
    "Att ha pengarna på ett annat konto",
]

MOMENT_COLUMNS = [
    "id",
    "person_id",
    "case_id",
    "kind",
    "happened_at",
    "title",
    "antecedent",
    "behaviour",
    "consequences",
    "what_worked",
    "instead_next_time",
    "confidence",
    "source",
    "entry_id",
    "written_by_id",
    "created_at",
]
# "column" and "order" are reserved words in SQL.
NOTE_COLUMNS = ["id", "moment_id", '"column"', "text", '"order"', "written_by_id", "created_at"]


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _first_cases() -> list[tuple]:
    """Each person's first case: person, case, opened, closed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.person_id, c.id, c.opened_on, c.closed_on FROM clients_case c "
            "JOIN (SELECT MIN(id) AS id FROM clients_case GROUP BY person_id) f ON f.id = c.id "
            "WHERE NOT EXISTS (SELECT 1 FROM bam_moment m WHERE m.person_id = c.person_id) "
            "ORDER BY c.person_id"
        )
        return [
            (person, case, _date(opened), _date(closed) if closed else None)
            for person, case, opened, closed in cursor.fetchall()
        ]


def _date(value: datetime.date | str) -> datetime.date:
    # SQLite hands dates back as text through a raw cursor.
    return datetime.date.fromisoformat(value) if isinstance(value, str) else value


def _holders(case_ids: list[int]) -> dict[int, list[tuple[datetime.date, int]]]:
    """Contact persons per case over time, to say who wrote a moment on a given day."""
    if not case_ids:
        return {}
    result: dict[int, list[tuple[datetime.date, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT case_id, started_on, worker_id FROM clients_assignment "
            "WHERE case_id BETWEEN %s AND %s AND role = 'contact_person' "
            "ORDER BY case_id, started_on, id",
            [min(case_ids), max(case_ids)],
        )
        for case_id, started, worker in cursor.fetchall():
            result.setdefault(case_id, []).append((_date(started), worker))
    return result


def seed_moments(writer, seed: int = 1, per_client: int = 10, progress: Callable | None = None):
    """Write about `per_client` moments for every person who has none yet."""
    rng = random.Random(seed * 7919 + 5)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    rows = _first_cases()
    ids = {t: _next_id(t) for t in ("bam_tag", "bam_moment", "bam_moment_tags", "bam_momentnote")}
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start : start + CHUNK]
        holders = _holders([case for _person, case, _o, _c in chunk])
        tags: list[tuple] = []
        moments: list[tuple] = []
        links: list[tuple] = []
        notes: list[tuple] = []
        for person, case, opened, closed in chunk:
            _person_moments(
                rng, ids, person, case, opened, closed or today, holders.get(case, []), tz,
                tags, moments, links, notes, per_client,
            )  # fmt: skip
        with transaction.atomic():
            writer.write("bam_tag", ["id", "person_id", "name"], tags)
            writer.write("bam_moment", MOMENT_COLUMNS, moments)
            writer.write("bam_moment_tags", ["id", "moment_id", "tag_id"], links)
            writer.write("bam_momentnote", NOTE_COLUMNS, notes)
        if progress:
            progress(f"  moments for {min(len(rows), start + CHUNK)}/{len(rows)} clients")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("bam_tag", "bam_moment", "bam_moment_tags", "bam_momentnote"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def _person_moments(
    rng, ids, person, case, opened, end, holders, tz, tags, moments, links, notes, per_client
):
    own_risks = rng.sample(RISK_TAGS, rng.randint(2, 4))
    own_strengths = rng.sample(STRENGTH_TAGS, rng.randint(1, 3))
    tag_ids = {}
    for name in own_risks + own_strengths:
        tag_ids[name] = ids["bam_tag"]
        tags.append((ids["bam_tag"], person, name))
        ids["bam_tag"] += 1
    count = max(1, per_client + rng.randint(-4, 4))
    span = max((end - opened).days, 1)
    days = sorted(rng.randint(0, span) for _ in range(count))
    starts = [began for began, _worker in holders]
    for i, offset in enumerate(days):
        progress = i / max(count - 1, 1)  # 0 at the first moment, 1 at the last
        strong = rng.random() < 0.15 + 0.65 * progress
        day = opened + datetime.timedelta(days=offset)
        at = datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 22), rng.choice([0, 15, 30, 45])), tz
        )
        at = min(at, timezone.now() - datetime.timedelta(hours=1))  # never in the future
        by_client = rng.random() < 0.15
        writer = None
        if not by_client and holders:
            writer = holders[max(bisect.bisect_right(starts, day) - 1, 0)][1]
        if writer is None:
            by_client = True
        confidence = None
        if rng.random() < 0.9:
            confidence = min(10, max(0, round(2 + 6 * progress + rng.gauss(0, 1.5))))
        mid = ids["bam_moment"]
        ids["bam_moment"] += 1
        moment_notes = {
            column: rng.sample(texts, rng.randint(1, 3)) for column, texts in NOTES.items()
        }
        moments.append(
            (
                mid,
                person,
                case,
                "strong" if strong else "weak",
                at,
                rng.choice(TITLES_STRONG if strong else TITLES_WEAK),
                moment_notes["antecedent"][0],
                moment_notes["behaviour"][0],
                moment_notes["consequence"][0],
                rng.choice(WORKED) if strong and rng.random() < 0.6 else "",
                rng.choice(INSTEAD) if not strong and rng.random() < 0.6 else "",
                confidence,
                "client" if by_client else "meeting",
                None,
                writer,
                at,
            )
        )
        chosen = rng.sample(own_risks, rng.randint(1, min(2, len(own_risks))))
        if strong:
            chosen.append(rng.choice(own_strengths))
        for name in chosen:
            links.append((ids["bam_moment_tags"], mid, tag_ids[name]))
            ids["bam_moment_tags"] += 1
        if by_client:
            continue  # the board is filled in meetings
        for column, texts in moment_notes.items():
            for order, text in enumerate(texts, start=1):
                notes.append((ids["bam_momentnote"], mid, column, text, order, writer, at))
                ids["bam_momentnote"] += 1
