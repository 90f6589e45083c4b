from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_safe

from tillit.lib.http import AuthedRequest
from tillit.org import practice
from tillit.org.models import (
    LEADER_ROLES,
    Method,
    Session,
    Supervision,
    Training,
    Unit,
    User,
    units_below,
)
from tillit.org.sessions import sessions_of
from tillit.org.signals import security_event

security = logging.getLogger("tillit.security")

PRACTICE_DAYS = 90
SUPERVISION_DAYS = 365
# Practice of a method is counted from Tillit's own records by the counters the practice
# apps register (tillit/org/practice.py); a method none counts shows "not recorded".


@dataclass
class StaffRow:
    staff: User
    hours: float | None = None
    trained_on: datetime.date | None = None
    practised: int | None = None
    supervisions: int = 0
    practice: list[str] = field(default_factory=list)  # what the count is made of, in words


@dataclass
class MethodSummary:
    method: Method
    measured: bool
    rows: list[StaffRow] = field(default_factory=list)
    sessions: int = 0
    last_session: datetime.date | None = None

    @property
    def trained(self) -> int:
        return sum(1 for r in self.rows if r.hours)

    @property
    def practising(self) -> int:
        return sum(1 for r in self.rows if r.practised)


@require_safe
def methods(request: AuthedRequest) -> HttpResponse:
    """For team leaders and managers: per method, who in their units is trained, who has
    practised it lately, and the supervision given. Staff data only, no client data."""
    user = request.user
    if not user.is_leader:
        raise PermissionDenied
    units = units_below(user.unit_ids(*LEADER_ROLES))
    staff = list(
        User.objects.filter(memberships__unit_id__in=units, is_active=True)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )
    staff_ids = [s.pk for s in staff]
    today = timezone.localdate()
    practice_since = timezone.now() - datetime.timedelta(days=PRACTICE_DAYS)
    supervision_since = today - datetime.timedelta(days=SUPERVISION_DAYS)
    trained = {
        (row["staff_id"], row["method_id"]): row
        for row in Training.objects.filter(staff_id__in=staff_ids)
        .values("staff_id", "method_id")
        .annotate(hours=Sum("hours"), last=Max("date"))
    }
    sessions = Supervision.objects.filter(
        date__gte=supervision_since, participants__in=staff_ids
    ).order_by()
    given = {
        row["method_id"]: row
        for row in sessions.values("method_id").annotate(
            n=Count("pk", distinct=True), last=Max("date")
        )
    }
    attended = {
        (row["participants"], row["method_id"]): row["n"]
        for row in sessions.values("participants", "method_id").annotate(n=Count("pk"))
    }
    practised = practice.practised(staff_ids, practice_since)
    summaries = []
    for method in Method.objects.all():
        measured = practice.measures(method.key)
        summary = MethodSummary(
            method,
            measured=measured,
            sessions=given.get(method.pk, {}).get("n", 0),
            last_session=given.get(method.pk, {}).get("last"),
        )
        for person in staff:
            training = trained.get((person.pk, method.pk), {})
            counted = practised.get((person.pk, method.key), [])
            summary.rows.append(
                StaffRow(
                    person,
                    hours=training.get("hours"),
                    trained_on=training.get("last"),
                    practised=sum(n for _counter, n in counted) if measured else None,
                    supervisions=attended.get((person.pk, method.pk), 0),
                    practice=[counter.says(n) for counter, n in counted],
                )
            )
        summaries.append(summary)
    return render(
        request,
        "org/methods.html",
        {
            "summaries": summaries,
            "staff_count": len(staff),
            "units": Unit.objects.filter(pk__in=units),
            "practice_days": PRACTICE_DAYS,
            "supervision_days": SUPERVISION_DAYS,
        },
    )


OTHERS = "others"


class EndForm(forms.Form):
    end = forms.CharField(max_length=64)


def sessions(request: AuthedRequest) -> HttpResponse:
    """Your sessions: where you are logged in (when, from which browser and address), and
    a button to end any other one, or all others at once. Ending is a security event
    (session_end, reason ended_by_user) and a line in the security log."""
    user = request.user
    current = request.session.session_key
    found = sessions_of(user, current)
    if request.method == "POST":
        form = EndForm(request.POST)
        wanted = form.cleaned_data["end"] if form.is_valid() else ""
        keys = [s.key for s in found if not s.current and wanted in (OTHERS, s.reference)]
        if not wanted:
            messages.error(request, _("Choose the session to end."))
        elif not keys:
            messages.info(request, _("That session has already ended."))
        else:
            ended, _rows = Session.objects.filter(user=user, session_key__in=keys).delete()
            security.warning(
                "sessions ended: account=%s by=self count=%d", user.get_username(), ended
            )
            security_event.send(
                __name__,
                action="session_end",
                user=user,
                request=request,
                detail={"reason": "ended_by_user", "all": wanted == OTHERS, "count": ended},
            )
            messages.success(
                request,
                ngettext("Ended %(count)d session.", "Ended %(count)d sessions.", ended)
                % {"count": ended},
            )
        return redirect("org:sessions")
    return render(request, "org/sessions.html", {"sessions": found, "others": OTHERS})
