"""The case flow at scale for bench/seed.py: decisions on the cases past intake (most
granted, some refused or partly granted, a few granted and not yet carried out), the
interventions that carry them out (some purchased placements with their costs, methods
from the register), and for closed cases their closing and follow-ups at 6 and 12 months
(held with the change Bjuv counted, not reached after tries, or still due).

Deterministic from the seed; rows written with the same Writer (COPY on PostgreSQL).
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.db import connection
from django.utils import timezone

from tillit.decisions.queries import months_after

KINDS = ["outpatient", "outpatient", "method", "method", "support", "housing", "placement", "group"]
OUTCOMES = ["granted"] * 16 + ["refused"] * 3 + ["partly"]
PLACEMENTS = ["hvb", "hvb", "family_home", "supported_housing", "lvm"]
CHANGES = ["lasting"] * 9 + ["temporary"] * 2 + ["none"] * 5 + ["worse"] * 2
REASONS = ["goals_reached"] * 5 + ["client_ended"] * 3 + ["moved", "transferred", "other"]
APPEAL = "Överklaga skriftligt till förvaltningsrätten inom tre veckor."


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
        return cursor.fetchone()[0]


def _ids(table: str, column: str) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column}, id FROM {table}")
        return dict(cursor.fetchall())


def seed_flow(writer, seed: int) -> None:
    """Write decisions, interventions, closings and follow-ups for every case seeded."""
    rng = random.Random(seed * 104729 + 3)
    today = timezone.localdate()
    tz = timezone.get_current_timezone()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.id, c.opened_on, c.closed_on, c.status, MIN(a.worker_id) "
            "FROM clients_case c JOIN clients_assignment a ON a.case_id = c.id "
            "GROUP BY c.id, c.opened_on, c.closed_on, c.status ORDER BY c.id"
        )
        cases = cursor.fetchall()
    law = _ids("decisions_law", "key")["se-sol-2001-4-1"]
    methods = list(_ids("org_method", "key").values())
    next_ids = {
        t: _next_id(t)
        for t in (
            "outcomes_provider",
            "decisions_decision",
            "outcomes_intervention",
            "followup_closing",
            "followup_followup",
            "followup_attempt",
        )
    }
    rows: dict[str, list] = {t: [] for t in next_ids}

    def take(table: str) -> int:
        next_ids[table] += 1
        return next_ids[table] - 1

    providers = []
    for kind, name, price, per in [
        ("hvb", "Behandlingshemmet Granbacken", "2950", "day"),
        ("family_home", "Familjehemmet Ekudden", "32000", "month"),
        ("supported_housing", "Stödboendet Linden", "1150", "day"),
        ("lvm", "LVM-hemmet Runnagården", "4100", "day"),
    ]:
        pk = take("outcomes_provider")
        providers.append((pk, kind, Decimal(price), per))
        rows["outcomes_provider"].append((pk, name, "", kind, Decimal(price), per, True))
    by_form: dict[str, tuple[int | None, Decimal | None, str]] = {
        kind: (pk, cost, per) for pk, kind, cost, per in providers
    }

    for case_id, opened, closed, status, worker in cases:
        if status in ("inquiry", "assessment"):
            continue
        end = closed or today
        for _ in range(rng.choice([1, 1, 1, 2])):
            decided = opened + datetime.timedelta(days=rng.randint(20, 90))
            if decided > end:
                break
            kind, outcome = rng.choice(KINDS), rng.choice(OUTCOMES)
            carried = None
            if outcome != "refused" and rng.random() < 0.93:
                carried = decided + datetime.timedelta(days=int(rng.expovariate(1 / 25)))
                carried = carried if carried <= end else None
            ends = None if rng.random() < 0.6 else decided + datetime.timedelta(days=180)
            if closed and outcome != "refused":
                ends = min(ends or closed, closed)  # no decision period outlives its case
            if ends is not None and ends < decided:
                ends = decided
            signed = datetime.datetime.combine(decided, datetime.time(10), tz)
            decision = take("decisions_decision")
            rows["decisions_decision"].append(
                (
                    decision, case_id, kind, "applied", f"Insats: {kind}", outcome,
                    decided, ends, "Behovet är utrett.", law, "Delegation 4.1", APPEAL,
                    decided, worker, signed, decided, "letter", None, carried,
                    "" if carried or outcome == "refused" else "Väntar på plats.",
                    signed, 1, None,
                )
            )  # fmt: skip
            if carried is None:
                continue
            purchased = kind == "placement" or (kind == "support" and rng.random() < 0.3)
            form = rng.choice(PLACEMENTS) if kind == "placement" else ""
            provider, cost, per = (
                by_form[form or "supported_housing"] if purchased else (None, None, "")
            )
            stops = [day for day in (ends, closed) if day is not None]
            stopped = max(min(stops), carried) if stops else None
            rows["outcomes_intervention"].append(
                (
                    take("outcomes_intervention"), case_id, kind, f"Insats: {kind}", carried,
                    stopped, decision, purchased, provider, cost, per, form,
                    rng.choice(methods) if kind == "method" else None, worker, None,
                )
            )  # fmt: skip
        if not closed:
            continue
        closing = take("followup_closing")
        reason = rng.choice(REASONS)
        said = "Flyttade till annan kommun." if reason == "other" else ""
        rows["followup_closing"].append(
            (
                closing, case_id, reason, said,
                "", closed, worker, "[]", datetime.datetime.combine(closed, datetime.time(15), tz),
            )
        )  # fmt: skip
        for months in (6, 12):
            due = months_after(closed, months)
            state, held, change, channel, finished = "due", None, "", "", None
            if due <= today - datetime.timedelta(days=30):
                state = rng.choice(["held"] * 6 + ["not_reached"] * 3 + ["due"])
            if state == "held":
                held = min(due + datetime.timedelta(days=rng.randint(0, 20)), today)
                change, channel = rng.choice(CHANGES), rng.choice(["meeting", "phone", "link"])
                finished = datetime.datetime.combine(held, datetime.time(11), tz)
            followup = take("followup_followup")
            rows["followup_followup"].append(
                (
                    followup, closing, due, state, held, held, worker if held else None,
                    channel, "{}", change, "", "", "", None, "", "", finished,
                )
            )  # fmt: skip
            if state == "not_reached":
                for n in range(rng.randint(1, 3)):
                    tried = min(due + datetime.timedelta(days=7 * n), today)
                    rows["followup_attempt"].append(
                        (
                            take("followup_attempt"), followup, tried, "phone", "", worker,
                            datetime.datetime.combine(tried, datetime.time(9), tz),
                        )
                    )  # fmt: skip

    writer.write(
        "outcomes_provider",
        ["id", "name", "org_number", "kind", "cost_amount", "cost_per", "active"],
        rows["outcomes_provider"],
    )
    writer.write(
        "decisions_decision",
        [
            "id", "case_id", "kind", "origin", "what", "outcome", "starts_on", "ends_on",
            "grounds", "law_id", "delegation", "appeal_info", "decided_on", "decided_by_id",
            "signed_at", "communicated_on", "communicated_how", "replaces_id",
            "carried_out_on", "delay_reason", "created_at", "revision", "submission",
        ],
        rows["decisions_decision"],
    )  # fmt: skip
    writer.write(
        "outcomes_intervention",
        [
            "id", "case_id", "kind", "name", "started_on", "ended_on", "decision_id",
            "purchased", "provider_id", "cost_amount", "cost_per", "placement_form",
            "method_id", "created_by_id", "submission",
        ],
        rows["outcomes_intervention"],
    )  # fmt: skip
    writer.write(
        "followup_closing",
        [
            "id", "case_id", "reason", "reason_text", "client_words", "closed_on",
            "closed_by_id", "drafts", "created_at",
        ],
        rows["followup_closing"],
    )  # fmt: skip
    writer.write(
        "followup_followup",
        [
            "id", "closing_id", "due_on", "state", "held_on", "recorded_on", "recorded_by_id",
            "channel", "life", "change", "substance", "housing", "occupation", "sought_help",
            "client_words", "cancel_reason", "finished_at",
        ],
        rows["followup_followup"],
    )  # fmt: skip
    writer.write(
        "followup_attempt",
        ["id", "followup_id", "tried_on", "how", "note", "by_id", "created_at"],
        rows["followup_attempt"],
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in rows:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 1) FROM {table}))"
                )


def clear_flow() -> None:
    """Remove every row seed_flow writes (for tests that reseed the same database)."""
    with connection.cursor() as cursor:
        for table in (
            "followup_attempt",
            "followup_followup",
            "followup_closing",
            "outcomes_intervention",
            "outcomes_provider",
            "decisions_decision",
        ):
            cursor.execute(f"DELETE FROM {table}")
