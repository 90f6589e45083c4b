"""Draw each unit's random sample of last month's ordinary accesses for its team leader's
log review (tillit/audit/review.py). Run it on the first of each month; a sample already
drawn is left as it is."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tillit.audit import review


def _month(text: str) -> datetime.date:
    return datetime.date.fromisoformat(f"{text}-01")


class Command(BaseCommand):
    help = "Draw each unit's monthly sample of accesses for log review."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", type=_month, help="YYYY-MM (default: last month)")

    def handle(self, *args: Any, month: datetime.date | None = None, **options: Any) -> None:
        month = month or review.last_month()
        for unit_id in sorted(review.units_with_leaders()):
            sample = review.sample_draw(unit_id, month)
            if sample is not None:
                self.stdout.write(
                    f"unit {unit_id} {month:%Y-%m}: {sample.items.count()} of "
                    f"{sample.population} (seed {sample.seed})"
                )
