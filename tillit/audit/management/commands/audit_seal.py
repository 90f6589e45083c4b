"""Seal the closed days of the access log (tillit/audit/chain.py). Run it hourly or
daily (a systemd timer or cron); each seal's hash goes to the security log."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from tillit.audit import chain


class Command(BaseCommand):
    help = "Seal the closed days of the access log into its hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--until", type=datetime.date.fromisoformat, help="last day to seal (YYYY-MM-DD)"
        )

    def handle(self, *args: Any, until: datetime.date | None = None, **options: Any) -> None:
        made = chain.seal(until)
        for seal in made:
            self.stdout.write(f"{seal.day} {seal.rows} rows {seal.hash}")
        self.stdout.write(f"{len(made)} days sealed; head {chain.head()}")
