"""manage.py extract <order id> [--output PATH] | --purge

Produce an approved order's extract, as the page does (tillit/extracts/produce.py), with
its progress on the terminal. The zip waits under TILLIT_EXTRACT_DIR for the evaluator to
download on the order's page, like one made there; with --output it is also copied to
PATH, which is an export of the study's data and is recorded as one in the access log.
--purge removes the extracts whose time is up (run it hourly, like audit_seal)."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tillit.audit.models import AccessLog, Action
from tillit.extracts import services
from tillit.extracts.models import Order
from tillit.extracts.produce import produce


class Command(BaseCommand):
    help = "Produce an approved extract for an evaluator (or --purge those whose time is up)."

    def add_arguments(self, parser):
        parser.add_argument("order", nargs="?", type=int, help="the order's number")
        parser.add_argument("--output", type=Path, help="also copy the zip here")
        parser.add_argument("--purge", action="store_true", help="remove expired extracts")

    def handle(self, *args, order: int | None, output: Path | None, purge: bool, **options):
        if purge:
            self.stdout.write(f"{services.runs_purge()} extracts expired and removed.")
            if order is None:
                return
        if order is None:
            raise CommandError("Give the order's number (or --purge).")
        found = Order.objects.filter(pk=order).first()
        if found is None:
            raise CommandError(f"There is no order {order}.")
        try:
            run = services.run_start(actor=None, order=found)
        except ValidationError as error:
            raise CommandError(error.messages[0]) from None
        started = time.monotonic()
        last = [-1]

        def progress(percent: int, step: str) -> None:
            if percent // 10 != last[0] // 10 or percent == 100:
                last[0] = percent
                self.stdout.write(f"{percent:3d} %  {step}  ({time.monotonic() - started:.1f} s)")

        path = produce(run, progress)
        run.refresh_from_db()
        report = run.report
        a = report["anonymity"]
        self.stdout.write(
            f"{a['cases']} cases: {a['as_ordered']} as ordered, {a['age_widened']} with age in "
            f"10-year bands, {a['year_left_out']} also without the year, {a['suppressed']} "
            f"suppressed. Rows: {report['rows']}"
        )
        if output is not None:
            shutil.copyfile(path, output)
            AccessLog.objects.create(
                user=None,
                action=Action.EXPORT,
                detail={
                    "page": "extract",
                    "extract": found.pk,
                    "run": run.pk,
                    "command": "extract",
                },
            )
            self.stdout.write(f"Copied to {output}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Extract {found.pk} produced in {time.monotonic() - started:.1f} s "
                f"({run.size:,} bytes): {path}"
            )
        )
