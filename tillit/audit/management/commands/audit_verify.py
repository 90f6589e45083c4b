"""Walk the access log's hash chain (tillit/audit/chain.py): exit 0 if every link holds,
1 with the first broken link otherwise."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tillit.audit import chain


class Command(BaseCommand):
    help = "Verify the access log's hash chain; report the first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        broken, checked = chain.verify()
        if broken is not None:
            raise CommandError(f"the access log's chain is broken: {broken}", returncode=1)
        self.stdout.write(
            f"OK: {checked['rows']} rows, {checked['seals']} sealed days, head {checked['head']}"
        )
