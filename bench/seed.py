"""A synthetic municipality at scale, for benchmarks: deterministic from a seed.

Shape: units of each kind; staff who come and go; persons with one or two cases that open
and close over the years; contact persons who stay for years for some clients and change
often for others; journal entries with realistic lengths and a long tail of heavy
clients; corrections; and the client's checks after most meetings.

Rows are generated in Python in chunks and written with COPY on PostgreSQL (executemany
elsewhere), with explicit ids so that later rows can point at earlier ones.
"""

from __future__ import annotations

import datetime
import random
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from bench.seed_bam import seed_moments
from bench.seed_flow import seed_flow
from bench.seed_network import seed_network
from tillit.clients.management.commands.seed_demo import FIRST, LAST
from tillit.lib import ids

SENTENCES = [
    "Samtal om veckan som gått och hur helgen blev.",
    "Klienten berättar att det varit svårt på kvällarna när hen är ensam.",
    "Vi gick igenom målen i planen och vad som hänt sedan sist.",
    "Klienten vill fokusera på boendet och på att komma igång med praktiken.",
    "Ekonomin är fortsatt ansträngd; vi pratade om att kontakta budget- och skuldrådgivningen.",
    "Mamma och syster vill vara med mer, vi bokar ett nätverksmöte.",
    "Klienten beskriver ett starkt ögonblick: tackade nej när en gammal vän ringde på lönedagen.",
    "Ett svagt ögonblick i fredags; vi utforskade vad som hände före, under och efter.",
    "Klienten har varit på läkarbesök och fått ny tid hos psykiatrin.",
    "Vi pratade om hur samarbetet fungerar och vad som skulle göra mötena bättre.",
    "Klienten har hållit sig nykter sedan förra mötet och är stolt över det.",
    "Hembesök; lägenheten var i ordning och klienten visade den nya hyllan.",
    "Telefonsamtal för att flytta mötet till nästa vecka.",
    "Klienten är orolig inför rättegången och vill ha stöd att förbereda sig.",
    "Vi kom överens om att pröva att ringa en vän nästa gång suget kommer.",
]
KINDS = ["meeting"] * 5 + ["phone"] * 3 + ["home_visit", "network_meeting", "drop_in", "letter"]
UNIT_KINDS = [  # name, intake, assessment, intervention, follow-up
    ("Mottagningen", True, False, False, False),
    ("Utredningsgruppen", False, True, False, False),
    ("Öppenvården", False, False, True, True),
    ("Öppenvården", False, False, True, True),
    ("Boendestödet", False, False, True, False),
    ("Uppföljningsteamet", False, False, False, True),
]
CHUNK = 500  # persons per write


@dataclass
class Report:
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def rows(self) -> int:
        return sum(self.counts.values())

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class Writer:
    """Writes rows to a table: COPY on PostgreSQL, executemany elsewhere."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.postgres = connection.vendor == "postgresql"

    def write(self, table: str, columns: Sequence[str], rows: Iterable[tuple]) -> None:
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.postgres:
                raw = cursor.cursor  # the psycopg cursor under Django's wrapper
                with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
                )
        self.report.counts[table] = self.report.counts.get(table, 0) + len(rows)


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _reset_sequences(tables: Sequence[str]) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
            )


def seed(
    *, clients: int, years: int, seed: int = 1, entries_per_client: int = 100, progress=print
) -> Report:
    """Create `clients` persons with about `entries_per_client` journal entries each."""
    report = Report()
    started = time.monotonic()
    rng = random.Random(seed)
    writer = Writer(report)
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=365 * years)
    tz = timezone.get_current_timezone()
    texts = [" ".join(rng.sample(SENTENCES, rng.randint(2, 7))) for _ in range(3000)]

    with transaction.atomic():
        units, staff = _organisation(rng, writer, clients, first_day, today)
    ids_ = {
        t: _next_id(t)
        for t in ("clients_person", "clients_case", "clients_assignment", "clients_journalentry")
    }
    for start in range(0, clients, CHUNK):
        with transaction.atomic():
            _clients_chunk(
                rng,
                writer,
                ids_,
                start,
                min(clients, start + CHUNK),
                units,
                staff,
                texts,
                first_day,
                today,
                tz,
                entries_per_client,
            )
        if progress and (start // CHUNK) % 20 == 0:
            elapsed = time.monotonic() - started
            progress(
                f"  {min(clients, start + CHUNK)}/{clients} clients, "
                f"{report.rows} rows, {report.rows / max(elapsed, 0.001):,.0f} rows/s"
            )
    tables = [
        "org_unit",
        "org_user",
        "org_membership",
        "clients_person",
        "clients_case",
        "clients_assignment",
        "clients_journalentry",
    ]
    _reset_sequences(tables)  # the rows below take their ids from the sequences
    with transaction.atomic():
        _corrections(writer, rng)
        _feedback(report)
        seed_moments(writer, seed)
    seed_network(writer, seed)
    with transaction.atomic():
        seed_flow(writer, seed)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    report.seconds = time.monotonic() - started
    return report


def _organisation(rng, writer, clients, first_day, today):
    unit_id, user_id = _next_id("org_unit"), _next_id("org_user")
    membership_id = _next_id("org_membership")
    root = unit_id
    unit_rows = [(root, "Socialtjänsten", None, False, False, False, False)]
    count = max(len(UNIT_KINDS), clients // 4000)
    units = []
    for n in range(count):
        name, *flags = UNIT_KINDS[n % len(UNIT_KINDS)]
        units.append(root + 1 + n)
        unit_rows.append((root + 1 + n, f"{name} {n + 1}", root, *flags))
    writer.write(
        "org_unit",
        [
            "id",
            "name",
            "parent_id",
            "does_intake",
            "does_assessment",
            "does_intervention",
            "does_follow_up",
        ],
        unit_rows,
    )
    password = make_password("bench-password")
    now = timezone.now()
    users, memberships, staff = [], [], {u: [] for u in units}
    # About 35 open cases per worker at any time, and turnover: some have left.
    per_unit = max(2, clients // (25 * count))
    for unit in units:
        for role, number in (("team_leader", 1), ("worker", per_unit)):
            for _ in range(number):
                uid = user_id + len(users)
                left = role == "worker" and rng.random() < 0.25
                users.append(
                    (
                        uid,
                        password,
                        False,
                        f"staff{uid}",
                        rng.choice(FIRST),
                        rng.choice(LAST),
                        "",
                        False,
                        not left,
                        now,
                    )
                )
                memberships.append((membership_id + len(memberships), uid, unit, role))
                if role == "worker":
                    staff[unit].append(uid)
    writer.write(
        "org_user",
        [
            "id",
            "password",
            "is_superuser",
            "username",
            "first_name",
            "last_name",
            "email",
            "is_staff",
            "is_active",
            "date_joined",
        ],
        users,
    )
    writer.write("org_membership", ["id", "user_id", "unit_id", "role"], memberships)
    return units, staff


def _entries_for(rng: random.Random, mean: int) -> int:
    """A long tail: most clients have a few dozen entries, some have thousands."""
    return max(1, min(int(rng.lognormvariate(0, 1.0) * mean / 1.65), mean * 40))


def _clients_chunk(
    rng, writer, next_ids, start, stop, units, staff, texts, first_day, today, tz, mean_entries
):
    persons, cases, assignments, entries = [], [], [], []
    now = timezone.now()
    span_days = (today - first_day).days
    for n in range(start, stop):
        pid = next_ids["clients_person"] + n
        born = datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 900)
        number = ids.make_swedish(born.strftime("%Y%m%d"), n % 900 + 100)
        persons.append(
            (
                pid,
                rng.choice(FIRST),
                rng.choice(LAST),
                "se",
                number,
                "",
                rng.random() < 0.01,
                rng.choice(["sv", "sv", "sv", "nb", "en"]),
                now,
            )
        )
        budget = _entries_for(rng, mean_entries)
        for case_number in range(1 if rng.random() < 0.7 else 2):
            cid = next_ids["clients_case"]
            next_ids["clients_case"] += 1
            unit = rng.choice(units)
            opened = first_day + datetime.timedelta(days=rng.randint(0, span_days - 30))
            closed = None
            if rng.random() < 0.4 or (case_number == 0 and rng.random() < 0.3):
                closed = min(today, opened + datetime.timedelta(days=rng.randint(30, 700)))
            status = (
                "closed"
                if closed
                else rng.choice(
                    ["inquiry", "assessment", "intervention", "intervention", "follow_up"]
                )
            )
            cases.append(
                (
                    cid,
                    pid,
                    unit,
                    rng.choice(["application", "report", "other"]),
                    "Ansökan om stöd.",
                    opened,
                    closed,
                    status,
                    # Intake's decision on the inquiry, once one is made.
                    *(
                        (None, "", None)
                        if status == "inquiry"
                        else (True, "Ansökan prövas.", opened)
                    ),
                )
            )
            end = closed or today
            # Continuity: 40% keep one contact person, some change now and then, a few often.
            changes = rng.choices([0, 1, 2, 4, 8], [40, 25, 15, 12, 8])[0]
            length = max((end - opened).days, 1)
            cuts = sorted(
                {opened + datetime.timedelta(days=rng.randint(1, length)) for _ in range(changes)}
                - {opened}
            )
            cuts = [c for c in cuts if c < end]
            holders = []
            worker = rng.choice(staff[unit])
            for i, began in enumerate([opened, *cuts]):
                ended = cuts[i] if i < len(cuts) else closed
                aid = next_ids["clients_assignment"]
                next_ids["clients_assignment"] += 1
                assignments.append((aid, cid, worker, "contact_person", began, ended))
                holders.append((began, worker))
                worker = rng.choice(staff[unit])
            count = budget if case_number == 0 else max(1, budget // 4)
            for _ in range(count):
                day = opened + datetime.timedelta(days=rng.randint(0, length - 1))
                author = holders[0][1]
                for began, holder in holders:
                    if began <= day:
                        author = holder
                at = datetime.datetime.combine(
                    day, datetime.time(rng.randint(8, 16), rng.choice([0, 15, 30, 45])), tz
                )
                eid = next_ids["clients_journalentry"]
                next_ids["clients_journalentry"] += 1
                draft = day > today - datetime.timedelta(days=3) and rng.random() < 0.3
                entries.append(
                    (
                        eid,
                        cid,
                        at,
                        rng.choice(KINDS),
                        rng.choice(texts),
                        "",
                        rng.random() < 0.1,
                        "draft" if draft else "signed",
                        author,
                        at,
                        None if draft else at,
                        None if draft else author,
                        1,
                        "",
                    )
                )
    writer.write(
        "clients_person",
        [
            "id",
            "first_name",
            "last_name",
            "id_country",
            "id_number",
            "no_id_reason",
            "protected_identity",
            "preferred_language",
            "created_at",
        ],
        persons,
    )
    writer.write(
        "clients_case",
        [
            "id",
            "person_id",
            "unit_id",
            "origin",
            "origin_text",
            "opened_on",
            "closed_on",
            "status",
            "assess",
            "assess_reason",
            "assess_decided_on",
        ],
        cases,
    )
    writer.write(
        "clients_assignment",
        ["id", "case_id", "worker_id", "role", "started_on", "ended_on"],
        assignments,
    )
    writer.write(
        "clients_journalentry",
        [
            "id",
            "case_id",
            "happened_at",
            "kind",
            "text",
            "present",
            "client_words",
            "status",
            "author_id",
            "created_at",
            "signed_at",
            "signed_by_id",
            "version",
            "correction_reason",
        ],
        entries,
    )


def _corrections(writer, rng) -> None:
    """About one signed entry in 200 is corrected by a second version."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO clients_journalentry (case_id, happened_at, kind, text, present, "
            "client_words, status, author_id, created_at, signed_at, signed_by_id, version, "
            "correction_reason, replaces_id, thread_id) "
            "SELECT case_id, happened_at, kind, text || ' (Rättat.)', present, client_words, "
            "status, author_id, created_at, signed_at, signed_by_id, 2, 'Fel datum.', id, id "
            "FROM clients_journalentry WHERE status = 'signed' AND version = 1 "
            "AND MOD(id, 200) = 7 AND NOT EXISTS (SELECT 1 FROM clients_journalentry c "
            "WHERE c.replaces_id = clients_journalentry.id)"
        )
        writer.report.counts["corrections"] = cursor.rowcount


def _feedback(report: Report) -> None:
    """The client's checks after about seven meetings in ten, scores from the entry id so
    the same seed gives the same answers, with the items' answers beside them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, key FROM feedback_instrument WHERE key IN ('relationship', 'life')"
        )
        instruments = dict(cursor.fetchall())
        if not instruments:
            return
        for instrument_id, key in instruments.items():
            base = 6 if key == "life" else 7
            cursor.execute(
                "INSERT INTO feedback_response (person_id, case_id, entry_id, worker_id, "
                "instrument_id, channel, given_on, score, open_answer, created_at) "
                "SELECT c.person_id, e.case_id, e.id, e.author_id, %s, 'meeting', "
                "CAST(e.happened_at AS DATE), "
                f"{base} + MOD(e.id * 7 + e.case_id, 4), '', e.happened_at "
                "FROM clients_journalentry e JOIN clients_case c ON c.id = e.case_id "
                "WHERE e.kind IN ('meeting', 'home_visit') AND e.replaces_id IS NULL "
                "AND MOD(e.id, 10) < 7 AND NOT EXISTS (SELECT 1 FROM feedback_response r "
                "WHERE r.entry_id = e.id AND r.instrument_id = %s)",
                [instrument_id, instrument_id],
            )
            report.counts[f"feedback_response ({key})"] = cursor.rowcount
        cursor.execute(
            "INSERT INTO feedback_answer (response_id, item_id, value) "
            "SELECT r.id, i.id, CAST(r.score AS INTEGER) FROM feedback_response r "
            "JOIN feedback_item i ON i.instrument_id = r.instrument_id AND NOT i.optional "
            "WHERE NOT EXISTS (SELECT 1 FROM feedback_answer a WHERE a.response_id = r.id)"
        )
        report.counts["feedback_answer"] = cursor.rowcount
