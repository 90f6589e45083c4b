"""Mail each worker and team leader how much is due in Tillit, without naming a client."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tillit.followup.due import due_list
from tillit.org.models import Role, User


class Command(BaseCommand):
    help = "Mail each worker and team leader with something due a count and a link (daily)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Print, send nothing.")

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        today = timezone.localdate()
        staff = (
            User.objects.filter(
                is_active=True, memberships__role__in=[Role.WORKER, Role.TEAM_LEADER]
            )
            .exclude(email="")
            .distinct()
            .order_by("pk")
        )
        sent = 0
        for user in staff:
            items = due_list(user, today, worker=user) if user.unit_ids(Role.WORKER) else []
            led = user.unit_ids(Role.TEAM_LEADER)
            if led:
                seen = {(i.url, i.case.pk) for i in items}
                more = due_list(user, today, unit_ids=led)
                items += [i for i in more if (i.url, i.case.pk) not in seen]
            if not items:
                continue
            late = sum(1 for item in items if item.late > 0)
            with translation.override(settings.LANGUAGE_CODE):
                subject = ngettext(
                    "Tillit: %(n)d item due", "Tillit: %(n)d items due", len(items)
                ) % {"n": len(items)}
                body = "\n\n".join(
                    [
                        subject,
                        ngettext("%(n)d of them is overdue.", "%(n)d of them are overdue.", late)
                        % {"n": late},
                        _("See them in Tillit (log in first): %(url)s")
                        % {"url": settings.BASE_URL.rstrip("/") + reverse("home")},
                    ]
                )
            if dry_run:
                self.stdout.write(f"{user.username}: {len(items)} due, {late} overdue")
            else:
                send_mail(subject, body, None, [user.email])
            sent += 1
        self.stdout.write(f"{sent} digests {'to send' if dry_run else 'sent'}.")
