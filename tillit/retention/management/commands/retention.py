"""manage.py retention [--dry-run]: remove what the retention rules say is due.

manage.py retention --dry-run        what would go: cases and journal entries per rule
                                     and unit, the oldest last entry, and why the rest
                                     is kept; and the access log rows; writes nothing
manage.py retention                  removes it, in batches of whole files, each in one
                                     transaction, with a retention record per case; then
                                     the access log rows whose records are gone, at least
                                     five years old (--log-years), in batches through the
                                     log's own gate (tillit/retention/access_log.py)
manage.py retention --hold CASE --reason TEXT     a legal hold on a case
manage.py retention --lift HOLD                   lift a legal hold
"""

from __future__ import annotations

import getpass
import time
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tillit.clients.models import Case
from tillit.org.models import Unit
from tillit.retention import access_log, services
from tillit.retention.models import LegalHold


class Command(BaseCommand):
    help = "Remove the records that the retention rules say are due (gallring)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Report only; remove nothing.")
        parser.add_argument("--batch-size", type=int, default=200, help="Cases per transaction.")
        parser.add_argument(
            "--log-years",
            type=int,
            default=access_log.ACCESS_LOG_YEARS,
            help="Years the access log is kept at least (five or more).",
        )
        parser.add_argument(
            "--hold", type=int, metavar="CASE", help="Place a legal hold on a case."
        )
        parser.add_argument("--reason", default="", help="Why the case is held.")
        parser.add_argument("--lift", type=int, metavar="HOLD", help="Lift a legal hold.")

    def handle(self, *args, **options) -> None:
        translation.activate(settings.LANGUAGE_CODE)
        who = getpass.getuser()
        if options["log_years"] < access_log.ACCESS_LOG_YEARS:
            raise CommandError(
                _("The access log is kept at least %(years)s years.")
                % {"years": access_log.ACCESS_LOG_YEARS}
            )
        if options["hold"]:
            self.hold(options["hold"], options["reason"], who)
        elif options["lift"]:
            self.lift(options["lift"], who)
        elif options["dry_run"]:
            self.dry_run(options["log_years"])
        else:
            self.remove(options["batch_size"], who)
            self.remove_log(options["log_years"])

    def hold(self, case_id: int, reason: str, who: str) -> None:
        if not reason.strip():
            raise CommandError(_("Say why the case is held (--reason)."))
        case = Case.objects.filter(pk=case_id).first()
        if case is None:
            raise CommandError(_("There is no case %(case)s.") % {"case": case_id})
        hold = services.hold_place(case, reason.strip(), who)
        self.stdout.write(
            _("Legal hold %(hold)s placed on case %(case)s.") % {"hold": hold.pk, "case": case_id}
        )

    def lift(self, hold_id: int, who: str) -> None:
        hold = LegalHold.objects.filter(pk=hold_id, lifted_at__isnull=True).first()
        if hold is None:
            raise CommandError(_("There is no legal hold %(hold)s in force.") % {"hold": hold_id})
        services.hold_lift(hold, who)
        self.stdout.write(_("Legal hold %(hold)s lifted.") % {"hold": hold_id})

    def dry_run(self, log_years: int) -> None:
        started = time.monotonic()
        today = timezone.localdate()
        forecast = services.plan(today)
        units = dict(Unit.objects.values_list("pk", "name"))
        rows: dict[tuple[str, str], list] = defaultdict(lambda: [0, 0, None, 0])
        for due in forecast.due:
            row = rows[(due.rule.name, units.get(due.unit_id, ""))]
            row[0] += 1
            row[1] += due.entries
            row[2] = min(row[2] or due.last_entry_on, due.last_entry_on)
            row[3] += due.deadline < today
        self.stdout.write(
            _("Retention dry run on %(today)s: nothing is removed.") % {"today": today}
        )
        if not rows:
            self.stdout.write(_("No case is due."))
        for (rule, unit), (cases, entries, oldest, overdue) in sorted(rows.items()):
            self.stdout.write(
                _(
                    "%(rule)s · %(unit)s: cases: %(cases)s, journal entries: %(entries)s, "
                    "oldest last entry: %(oldest)s, past their deadline: %(overdue)s"
                )
                % {
                    "rule": rule,
                    "unit": unit,
                    "cases": cases,
                    "entries": entries,
                    "oldest": oldest,
                    "overdue": overdue,
                }
            )
        self.stdout.write(
            _(
                "In all: cases: %(cases)s, persons: %(persons)s, "
                "persons who would have no case left: %(emptied)s."
            )
            % {
                "cases": len(forecast.due),
                "persons": len({due.person_id for due in forecast.due}),
                "emptied": len(forecast.persons_emptied),
            }
        )
        for reason, count in sorted(forecast.kept.items()):
            self.stdout.write(
                _("Kept (%(reason)s): cases: %(count)s.")
                % {"count": count, "reason": services.KEPT[reason]}
            )
        self.log_report(access_log.plan(today, log_years, forecast), log_years)
        self.stdout.write(_("Took %(seconds).1f s.") % {"seconds": time.monotonic() - started})

    def log_report(self, log: access_log.LogForecast, years: int) -> None:
        self.stdout.write(
            _(
                "Access log (kept at least %(years)s years): rows that would go: %(rows)s, "
                "the oldest from %(oldest)s; older rows kept because their record is kept: "
                "%(kept)s, or because their day is not sealed yet: %(unsealed)s."
            )
            % {
                "years": years,
                "rows": log.due,
                "oldest": timezone.localdate(log.oldest) if log.oldest else "-",
                "kept": log.record_kept,
                "unsealed": log.not_sealed,
            }
        )

    def remove(self, batch_size: int, who: str) -> None:
        started = time.monotonic()
        run = services.remove(timezone.localdate(), batch_size=batch_size, run_by=who)
        if run is None:
            self.stdout.write(_("No case is due."))
            return
        records = run.records.count()
        persons = run.records.filter(person_removed=True).values("person_id").distinct().count()
        self.stdout.write(
            _(
                "Removed: cases: %(cases)s, persons entirely: %(persons)s, "
                "in %(seconds).1f s (run %(run)s)."
            )
            % {
                "cases": records,
                "persons": persons,
                "seconds": time.monotonic() - started,
                "run": run.pk,
            }
        )

    def remove_log(self, years: int) -> None:
        started = time.monotonic()
        rows = access_log.remove(timezone.localdate(), years)
        self.stdout.write(
            _("Access log: removed %(rows)s rows older than %(years)s years, in %(seconds).1f s.")
            % {"rows": rows, "years": years, "seconds": time.monotonic() - started}
        )
