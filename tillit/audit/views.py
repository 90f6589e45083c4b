from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tillit.audit.models import AccessLog, Action
from tillit.clients import access, services
from tillit.clients.models import Case, EmergencyAccess
from tillit.lib.http import AuthedRequest
from tillit.lib.queries import counted_page
from tillit.org.models import LEADER_ROLES, Membership, Unit, User


def led_unit_ids(user: User) -> set[int]:
    """The units whose log a leader reviews: those they lead and every unit below them."""
    led = user.unit_ids(*LEADER_ROLES)
    if not led:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found, todo = set(), list(led)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


def _scope(units: set[int]) -> Q:
    """What a leader of `units` reviews (log rows or emergency accesses): by their staff,
    or about their units' clients."""
    staff = Membership.objects.filter(unit_id__in=units, user_id=OuterRef("user_id"))
    clients = Case.objects.filter(unit_id__in=units, person_id=OuterRef("person_id"))
    return Q(Exists(staff)) | Q(Exists(clients))


def _person_matches(text: str) -> Q:
    """A client by number in the log (from a link), by identity number, or by name."""
    text = text.strip()
    if text.isdigit() and len(text) < 10:
        return Q(person_id=int(text))
    query = Q(person__id_number__icontains=text)
    for word in text.split():
        query |= Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
    return query


class LogFilter(forms.Form):
    staff = forms.ModelChoiceField(
        label=gettext_lazy("Staff"), queryset=User.objects.none(), required=False
    )
    person = forms.CharField(
        label=gettext_lazy("Client (name or identity number)"), required=False, max_length=100
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), choices=[("", "—"), *Action.choices], required=False
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    emergency_only = forms.BooleanField(
        label=gettext_lazy("Only emergency accesses"), required=False
    )

    def filter(self, rows: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
        data = self.cleaned_data
        if data.get("staff"):
            rows = rows.filter(user=data["staff"])
        if data.get("person"):
            rows = rows.filter(_person_matches(data["person"]))
        if data.get("action"):
            rows = rows.filter(action=data["action"])
        if data.get("since"):
            rows = rows.filter(at__date__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(at__date__lte=data["until"])
        if data.get("emergency_only"):
            rows = rows.filter(emergency__isnull=False)
        return rows


def log_review(request: AuthedRequest) -> HttpResponse:
    """For leaders: who looked at what, with emergency accesses to review."""
    user = request.user
    units = led_unit_ids(user)
    if not units:
        access.refuse(user, "log", "review", False, Action.READ)
    access.record(request, Action.READ, detail={"page": "log_review"})
    scope = _scope(units)
    form = LogFilter(request.GET or None)
    form.fields["staff"].queryset = User.objects.filter(  # type: ignore[attr-defined]
        memberships__unit_id__in=units
    ).distinct()
    rows = AccessLog.objects.filter(scope).select_related(
        "user", "person", "case__unit", "emergency"
    )
    if form.is_valid():
        rows = form.filter(rows)
    page = counted_page(rows, request.GET.get("page"), 50)
    pending = EmergencyAccess.objects.filter(scope, reviewed_at__isnull=True).select_related(
        "user", "person"
    )
    return render(
        request,
        "audit/review.html",
        {
            "form": form,
            "page": page,
            "pending": pending,
            "now": datetime.datetime.now(datetime.UTC),
        },
    )


@require_POST
def emergency_reviewed(request: AuthedRequest, pk: int) -> HttpResponse:
    user = request.user
    units = led_unit_ids(user)
    if not units:
        access.refuse(user, "emergency", pk, False, Action.REVIEW)
    emergency = get_object_or_404(EmergencyAccess.objects.filter(_scope(units)), pk=pk)
    services.emergency_access_review(actor=user, access=emergency, path=request.path)
    messages.success(request, _("The emergency access is marked reviewed."))
    return redirect("audit:review")
