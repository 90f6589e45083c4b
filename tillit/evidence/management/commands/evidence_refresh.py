"""Compute the leaders' evidence figures again from the records (tillit/evidence/refresh.py):
run nightly, from cron or a systemd timer (docs/operations.md)."""

from django.core.management.base import BaseCommand

from tillit.evidence.refresh import refresh


class Command(BaseCommand):
    help = "Compute the leaders' evidence figures (continuity, caseload, alliance) again."

    def handle(self, *args, **options) -> None:
        run = refresh()
        self.stdout.write(f"Evidence figures of {run.cases} cases computed in {run.seconds:.1f} s.")
