"""A worker's own figures: their caseload and meetings month by month, and the
relationship check after their meetings."""

from __future__ import annotations

import datetime

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import EntryStatus, JournalEntry
from tillit.clients.views import FEEDBACK_KINDS
from tillit.evidence.figures import Column, Figure, Row, finish
from tillit.evidence.models import WorkerMonth
from tillit.evidence.queries import (
    mean_of,
    moments,
    month_label,
    months_back,
)
from tillit.evidence.stats import Estimate
from tillit.feedback.models import Response


def mine(user_id: int, year: int) -> list[Figure]:
    today = timezone.localdate()
    months = months_back(today, 12)
    load = dict(
        WorkerMonth.objects.filter(worker_id=user_id, month__gte=months[0])
        .order_by()
        .values_list("month")
        .annotate(n=Sum("cases"))
    )
    meetings = dict(
        JournalEntry.objects.filter(
            author_id=user_id,
            status=EntryStatus.SIGNED,
            version=1,
            kind__in=list(FEEDBACK_KINDS),
            happened_at__date__gte=months[0],
        )
        .annotate(m=TruncMonth("happened_at"))
        .order_by()
        .values_list("m")
        .annotate(n=Count("pk"))
    )
    meetings = {
        (m.date() if isinstance(m, datetime.datetime) else m): n for m, n in meetings.items()
    }
    checks = {
        r["m"]: r
        for r in Response.objects.filter(
            worker_id=user_id, instrument__key="relationship", given_on__gte=months[0]
        )
        .annotate(m=TruncMonth("given_on"))
        .order_by()
        .values("m")
        .annotate(**moments("score", "score"))
    }
    own = [
        Column("cases", _("Your open cases"), "own"),
        Column("meetings", _("Your meetings"), "own"),
    ]
    return [
        finish(
            Figure(
                "my_caseload",
                _("Your caseload and meetings, month by month"),
                _(
                    "The open cases you were contact person for at the end of each month, and "
                    "the meetings you signed."
                ),
                _("Month"),
                own,
                [
                    Row(
                        month_label(m),
                        [
                            Estimate(load.get(m, 0), float(load.get(m, 0)), kind="own"),
                            Estimate(meetings.get(m, 0), float(meetings.get(m, 0)), kind="own"),
                        ],
                    )
                    for m in months
                ],
                over_time=True,
            )
        ),
        finish(
            Figure(
                "my_relationship",
                _("The relationship check after your meetings"),
                _(
                    "The mean of your clients' answers to the relationship check (0 to 10) each "
                    "month, with 95% t intervals; a month with fewer than 5 answers is not shown."
                ),
                _("Month"),
                [Column("score", _("Relationship check"), digits=1)],
                [
                    Row(
                        month_label(m),
                        [mean_of(checks[m], "score") if m in checks else Estimate(0)],
                    )
                    for m in months
                ],
                over_time=True,
            )
        ),
    ]
