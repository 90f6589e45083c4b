"""Networks at scale for bench/seed.py: about eight people around each client, with a
move between circles for some, consents (some withdrawn), a family group conference for
about one client in thirty with invitations and a plan, some network meetings, and two
groups per unit with weekly sessions and attendance.

Deterministic from the seed; rows written with the same Writer (COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime
import random

from django.db import connection, transaction
from django.utils import timezone

FIRST = ["Mona", "Olle", "Pia", "Rami", "Sofia", "Tor", "Ulla", "Vera", "Ali", "Bo", "Cia"]
RELATIONS = ["family", "relative", "friend", "neighbour", "work", "professional", "other"]
QUALITIES = ["support", "support", "support", "strain", "both"]
PURPOSES = ["share", "invite", "help"]


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def seed_network(writer, seed: int) -> None:
    """Write networks for every client already seeded (one worker of each case acts)."""
    rng = random.Random(seed * 7919 + 17)
    today = timezone.localdate()
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.person_id, c.opened_on, c.status, MIN(a.worker_id) "
            "FROM clients_case c JOIN clients_assignment a ON a.case_id = c.id "
            "GROUP BY c.id, c.person_id, c.opened_on, c.status ORDER BY c.person_id, c.id"
        )
        cases = cursor.fetchall()
    by_person: dict[int, tuple] = {}
    for case in cases:
        by_person.setdefault(case[1], case)  # the person's first case
    ids = {
        t: _next_id(f"network_{t}")
        for t in (
            "networkmember",
            "placement",
            "consent",
            "familyconference",
            "planstep",
            "invitation",
            "meeting",
        )
    }
    rows: dict[str, list] = {t: [] for t in ids}

    def take(table: str) -> int:
        ids[table] += 1
        return ids[table] - 1

    for person_id, (case_id, _p, opened_on, status, worker_id) in sorted(by_person.items()):
        members = []
        for _ in range(max(1, int(rng.gauss(8, 3)))):
            member_id = take("networkmember")
            added = opened_on + datetime.timedelta(days=rng.randint(0, 60))
            added = min(added, today)
            ended = None
            if rng.random() < 0.08:
                ended = min(added + datetime.timedelta(days=rng.randint(1, 300)), today)
            name = f"{rng.choice(FIRST)} {chr(65 + rng.randint(0, 25))}."
            rows["networkmember"].append(
                (
                    member_id,
                    person_id,
                    name,
                    rng.choice(RELATIONS),
                    rng.choice(QUALITIES),
                    "",
                    "",
                    added,
                    ended,
                    "Moved away" if ended else "",
                    worker_id,
                    now,
                )
            )
            circle = rng.choice([1, 2, 2, 3, 3])
            rows["placement"].append((take("placement"), member_id, circle, added, now))
            if rng.random() < 0.25 and (today - added).days > 30:
                moved = added + datetime.timedelta(days=rng.randint(1, (today - added).days))
                rows["placement"].append((take("placement"), member_id, 1 + circle % 3, moved, now))
            if rng.random() < 0.6 and ended is None:
                withdrawn = today if rng.random() < 0.1 else None
                rows["consent"].append(
                    (take("consent"), member_id, "invite", added, withdrawn, worker_id, None)
                )
                if withdrawn is None:
                    members.append(member_id)
            if rng.random() < 0.3:
                rows["consent"].append(
                    (
                        take("consent"),
                        member_id,
                        rng.choice(["share", "help"]),
                        added,
                        None,
                        worker_id,
                        None,
                    )
                )
        if status == "closed" or not members:
            continue
        if rng.random() < 1 / 30:
            conference_id = take("familyconference")
            requested = max(opened_on, today - datetime.timedelta(days=rng.randint(20, 200)))
            held = min(requested + datetime.timedelta(days=21), today)
            decision = rng.choice(["accepted", "accepted", "accepted", "not_accepted", ""])
            rows["familyconference"].append(
                (
                    conference_id,
                    case_id,
                    "follow_up"
                    if decision == "accepted"
                    else ("decision" if decision else "conference"),
                    requested,
                    "How can the family support the client?",
                    "The client and family agree.",
                    "Independent coordinator",
                    requested,
                    "",
                    held,
                    "",
                    "",
                    "The family's plan.",
                    decision,
                    "The plan does not answer the questions." if decision == "not_accepted" else "",
                    held if decision else None,
                    worker_id if decision else None,
                    worker_id,
                )
            )
            for member_id in members[:4]:
                rows["invitation"].append(
                    (take("invitation"), member_id, conference_id, None, requested, worker_id, None)
                )
            for n in range(rng.randint(2, 5)):
                rows["planstep"].append(
                    (
                        take("planstep"),
                        conference_id,
                        f"Action {n + 1}",
                        "member",
                        members[n % len(members)],
                        "",
                        held + datetime.timedelta(days=14 * (n + 1)),
                        "",
                        None,
                    )
                )
        if rng.random() < 1 / 10:
            meeting_id = take("meeting")
            held_on = max(opened_on, today - datetime.timedelta(days=rng.randint(1, 300)))
            rows["meeting"].append(
                (
                    meeting_id,
                    case_id,
                    held_on,
                    rng.choice(["network", "reflecting"]),
                    True,
                    "",
                    "",
                    "Talk together about what helps.",
                    "",
                    "",
                    "",
                    None,
                    worker_id,
                )
            )
            for member_id in members[:3]:
                rows["invitation"].append(
                    (take("invitation"), member_id, None, meeting_id, held_on, worker_id, None)
                )

    columns = {
        "networkmember": (
            "id, person_id, name, relation, quality, client_words, reach, added_on, ended_on, "
            "end_reason, created_by_id, created_at"
        ),
        "placement": "id, member_id, circle, from_on, created_at",
        "consent": (
            "id, member_id, purpose, given_on, withdrawn_on, recorded_by_id, withdrawn_by_id"
        ),
        "familyconference": (
            "id, case_id, stage, requested_on, questions, agreement, coordinator_name, "
            "coordinator_on, professionals, held_on, information, private_time, plan_summary, "
            "decision, decision_reason, decided_on, decided_by_id, created_by_id"
        ),
        "planstep": (
            "id, conference_id, what, owner_kind, owner_member_id, owner_name, by_when, "
            "outcome, done_on"
        ),
        "meeting": (
            "id, case_id, held_on, kind, client_present, staff, agencies, purpose, "
            "client_words, reflections, response, journal_entry_id, created_by_id"
        ),
        "invitation": (
            "id, member_id, conference_id, meeting_id, invited_on, invited_by_id, "
            "consent_withdrawn_on"
        ),
    }
    order = ["networkmember", "placement", "consent", "familyconference", "planstep"]
    order += ["meeting", "invitation"]
    with transaction.atomic():
        for table in order:
            writer.write(f"network_{table}", columns[table].split(", "), rows[table])
    seed_groups(writer, rng, today)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in order:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('network_{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM network_{table}))"
                )


def seed_groups(writer, rng: random.Random, today: datetime.date) -> None:
    """Two groups per unit that has open cases: up to twelve of its clients, weekly
    sessions for ten weeks, about seven in ten present."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.unit_id, c.person_id, MIN(a.worker_id) FROM clients_case c "
            "JOIN clients_assignment a ON a.case_id = c.id AND a.ended_on IS NULL "
            "WHERE c.status <> 'closed' GROUP BY c.unit_id, c.person_id "
            "ORDER BY c.unit_id, c.person_id"
        )
        open_cases = cursor.fetchall()
    by_unit: dict[int, list[tuple[int, int]]] = {}
    for unit_id, person_id, worker_id in open_cases:
        by_unit.setdefault(unit_id, []).append((person_id, worker_id))
    ids = {t: _next_id(f"groups_{t}") for t in ("group", "groupmember", "session", "attendance")}
    rows: dict[str, list] = {t: [] for t in ids}

    def take(table: str) -> int:
        ids[table] += 1
        return ids[table] - 1

    start = today - datetime.timedelta(weeks=10)
    for unit_id, clients in sorted(by_unit.items()):
        worker_id = clients[0][1]
        for kind, name in (("maintenance", "Tisdagsgruppen"), ("alcohol", "Mixgruppen")):
            group_id = take("group")
            rows["group"].append((group_id, unit_id, name, kind, start, worker_id))
            chosen = rng.sample(clients, min(12, len(clients)))
            members = []
            for person_id, _worker in chosen:
                member_id = take("groupmember")
                rows["groupmember"].append((member_id, group_id, person_id, start, None))
                members.append(member_id)
            for week in range(10):
                session_id = take("session")
                held = start + datetime.timedelta(weeks=week)
                rows["session"].append((session_id, group_id, held, "", worker_id))
                for member_id in members:
                    present = rng.random() < 0.7
                    rows["attendance"].append((take("attendance"), session_id, member_id, present))
    columns = {
        "group": "id, unit_id, name, kind, started_on, created_by_id",
        "groupmember": "id, group_id, person_id, joined_on, left_on",
        "session": "id, group_id, held_on, theme, recorded_by_id",
        "attendance": "id, session_id, member_id, present",
    }
    with transaction.atomic():
        for table in ("group", "groupmember", "session", "attendance"):
            writer.write(f"groups_{table}", columns[table].split(", "), rows[table])
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("group", "groupmember", "session", "attendance"):
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('groups_{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM groups_{table}))"
                )


def clear_network() -> None:
    """Remove every network and group row (for tests that reseed the same database)."""
    with connection.cursor() as cursor:
        for table in ("attendance", "session", "agreement", "groupmember", "group"):
            cursor.execute(f"DELETE FROM groups_{table}")
        for table in ("invitation", "meeting", "planstep", "followup", "familyconference"):
            cursor.execute(f"DELETE FROM network_{table}")
        for table in ("consent", "placement", "networkmember"):
            cursor.execute(f"DELETE FROM network_{table}")
