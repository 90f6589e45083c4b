"""Services without needs assessment (the 2025 Swedish socialtjänstlag's insatser utan
individuell behovsprövning; in Norway low-threshold services given without a vedtak):
the unit's services, kept by its team leaders; visits recorded by the unit's staff with
minimal data and no case; a visit linked to a client's record only with their consent,
through the access policy; and the counts per unit and month for team leaders and
managers. Only the linking touches a client's data, so only it is audited; the rest is
staff data and counts, as the methods page (tillit/org/views.py)."""

from __future__ import annotations

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.lib.charts import bar_chart
from tillit.lib.http import AuthedRequest
from tillit.lib.tables import SMALLEST_CELL, csv_response
from tillit.org.models import LEADER_ROLES, Role, Unit, units_below
from tillit.outcomes import services, visit_counts
from tillit.outcomes.forms import LinkForm, ServiceForm, VisitForm
from tillit.outcomes.models import LowThresholdService, Visit

YEARS_BACK = 10


def _month_names() -> list[str]:
    return [date_format(datetime.date(2000, m, 1), "F") for m in visit_counts.MONTHS]


# -- the unit's services, kept by its team leaders -----------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def home(request: AuthedRequest) -> HttpResponse:
    """The services of the units where the user works or leads, each a link to its
    visit form with today's count; a team leader also adds services and stops or
    resumes offering them (a POST here adds one; anyone else is refused with 403)."""
    user = request.user
    led = user.unit_ids(Role.TEAM_LEADER)
    led_units = Unit.objects.filter(pk__in=led).order_by("name")
    form = None
    if led:
        form = ServiceForm(request.POST or None, units=led_units)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("Only the unit's team leader adds services."))
        if form.is_valid():
            try:
                service = services.low_threshold_service_add(
                    unit=form.cleaned_data["unit"], name=form.cleaned_data["name"]
                )
            except ValidationError as error:
                form.add_error("name", error.message_dict["name"])
            else:
                messages.success(
                    request, _("%(service)s is offered now.") % {"service": service.name}
                )
                return redirect("outcomes:low_threshold")
    today = timezone.localdate()
    offered = (
        LowThresholdService.objects.filter(
            Q(unit_id__in=services.staff_units(user), active=True) | Q(unit_id__in=led)
        )
        .select_related("unit")
        .annotate(
            today_visits=Count("visits", filter=Q(visits__day=today)),
            today_persons=Sum("visits__persons", filter=Q(visits__day=today)),
        )
        .order_by("unit__name", "-active", "name")
    )
    return render(
        request,
        "outcomes/low_threshold.html",
        {
            "services": offered,
            "led": led,
            "form": form,
            "leads": user.is_leader,
            "several_units": len({s.unit_id for s in offered}) > 1,
        },
        status=400 if form is not None and form.is_bound else 200,
    )


@require_POST
def service_active(request: AuthedRequest, pk: int) -> HttpResponse:
    """Stop offering a service, or offer it again: the unit's team leaders'."""
    user = request.user
    service = LowThresholdService.objects.filter(pk=pk).first()
    if service is None or service.unit_id not in user.unit_ids(Role.TEAM_LEADER):
        knowable = service is not None and service.unit_id in user.unit_ids()
        access.refuse(user, "service", pk, knowable, Action.UPDATE)
    assert service is not None
    active = request.POST.get("active") == "1"
    services.low_threshold_service_set_active(service=service, active=active)
    done = _("%(service)s is offered again.") if active else _("%(service)s is no longer offered.")
    messages.success(request, done % {"service": service.name})
    return redirect("outcomes:low_threshold")


# -- recording visits ----------------------------------------------------------------------


def _service_for(request: AuthedRequest, pk: int) -> LowThresholdService:
    """A service of a unit where the user works or leads; any other is not there (404)."""
    service = (
        LowThresholdService.objects.select_related("unit")
        .filter(unit_id__in=services.staff_units(request.user), pk=pk)
        .first()
    )
    if service is None:
        access.refuse(request.user, "service", pk, False, Action.CREATE)
    assert service is not None
    return service


def _day_asked(request: AuthedRequest) -> datetime.date:
    """The day asked for in the address (the day the last visit was recorded for, so that
    a run of visits of an earlier day keeps it; the day whose visits may be linked);
    today if none, or not a day that has come."""
    try:
        day = datetime.date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        return timezone.localdate()
    return day if day <= timezone.localdate() else timezone.localdate()


@require_http_methods(["GET", "HEAD", "POST"])
def visit_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """The quick form: a visit per press of the button, the form stays for the next one.
    A double press records once (tillit/lib/once.py)."""
    service = _service_for(request, pk)
    form = VisitForm(request.POST or None, initial={"day": _day_asked(request)})
    if request.method == "POST" and not service.active:
        messages.error(request, _("This service is no longer offered."))
        return redirect("outcomes:low_threshold")
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit, _created = services.visit_record(
                actor=request.user,
                service=service,
                day=data["day"],
                persons=data["persons"],
                sex=data["sex"],
                age_band=data["age_band"],
                submission=data["submission"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _saved(visit))
            url = reverse("outcomes:visit_new", args=[service.pk])
            if visit.day != timezone.localdate():
                url += f"?day={visit.day.isoformat()}"
            return redirect(url)
    day = form.cleaned_data["day"] if form.is_bound and form.is_valid() else _day_asked(request)
    counted = Visit.objects.filter(service=service, day=day).aggregate(
        visits=Count("pk"), persons=Sum("persons")
    )
    return render(
        request,
        "outcomes/visit_new.html",
        {
            "service": service,
            "form": form,
            "day": day,
            "visits": counted["visits"],
            "persons": counted["persons"] or 0,
        },
        status=400 if form.is_bound else 200,
    )


def _saved(visit: Visit) -> str:
    day = date_format(visit.day, "SHORT_DATE_FORMAT")
    return ngettext(
        "Recorded: %(service)s, %(day)s, %(n)d person.",
        "Recorded: %(service)s, %(day)s, %(n)d persons.",
        visit.persons,
    ) % {"service": visit.service.name, "day": day, "n": visit.persons}


# -- linking a visit to a client, with their consent ---------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def visit_link(request: AuthedRequest, pk: int) -> HttpResponse:
    """Link a visit to the client's record: only by staff who may open the client and
    work in the service's unit, only with the client's consent (its day and who recorded
    it), and audited as a change to the client's record."""
    granted = access.get_person_for(request, pk, Action.UPDATE)
    user = request.user
    # The visits of one day to choose from (today unless asked): a drop-in has many. A
    # form sent twice finds its visit linked already, to this client: linked once.
    day = _day_asked(request)
    again = granted.person if request.method == "POST" else None
    visits = services.visits_to_link(user, linked_to=again).filter(day=day)
    form = LinkForm(request.POST or None, visits=visits)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.visit_link(
                actor=user,
                person=granted.person,
                visit=data["visit"],
                consent_on=data["consent_on"],
                consent=data["consent"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The visit is linked to the client's record."))
            return redirect("outcomes:person", pk=granted.person.pk)
    return render(
        request,
        "outcomes/visit_link.html",
        {
            "person": granted.person,
            "granted": granted,
            "form": form,
            "day": day,
            "days": services.LINK_DAYS,
            "earliest": timezone.localdate() - datetime.timedelta(days=services.LINK_DAYS),
            "today": timezone.localdate(),
        },
    )


# -- the counts, for team leaders and managers ----------------------------------------------


class CountForm(forms.Form):
    unit = forms.TypedChoiceField(label=gettext_lazy("Unit"), coerce=int, choices=[])
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=[])

    def __init__(self, *args, units: list[Unit], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        latest = timezone.localdate().year
        first = Visit.objects.order_by("day").values_list("day", flat=True).first()
        earliest = max(min(first.year, latest) if first else latest, latest - YEARS_BACK)
        self.fields["year"].choices = [(y, str(y)) for y in range(latest, earliest - 1, -1)]  # type: ignore[attr-defined]
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]  # type: ignore[attr-defined]


def _leaders_units(request: AuthedRequest) -> list[Unit]:
    """The units the team leader or manager leads and those below them, those offering
    services first; statistics, so for no one else (403)."""
    user = request.user
    if not user.is_leader:
        raise PermissionDenied
    units = Unit.objects.filter(pk__in=units_below(user.unit_ids(*LEADER_ROLES)))
    offering = set(
        LowThresholdService.objects.filter(unit__in=units).values_list("unit", flat=True)
    )
    return sorted(units, key=lambda u: (u.pk not in offering, u.name))


def _asked(request: AuthedRequest) -> tuple[CountForm, list[Unit], Unit | None, int]:
    units = _leaders_units(request)
    asked = {"unit": units[0].pk if units else "", "year": timezone.localdate().year}
    form = CountForm(asked | request.GET.dict(), units=units)
    valid = form.is_valid()
    year = form.cleaned_data["year"] if valid else timezone.localdate().year
    wanted = form.cleaned_data["unit"] if valid else asked["unit"]
    unit = next((u for u in units if u.pk == wanted), None)
    return form, units, unit, year


@require_safe
def statistics(request: AuthedRequest) -> HttpResponse:
    """Visits and persons per service and month of a year, for one unit, with small
    counts hidden (`visit_counts.suppress`), and persons per month as a chart beside
    its table. No visitor is named or described here."""
    form, _units, unit, year = _asked(request)
    rows = visit_counts.count(year, [unit.pk] if unit else [])
    months = _month_names()
    tables = []
    persons: list[int | None] = []
    for measure, caption in (
        ("visits", _("Visits per month, %(year)s")),
        ("persons", _("Persons per month, %(year)s")),
    ):
        cells = visit_counts.suppress(rows, visit_counts.grid(rows, measure))
        columns = [*visit_counts.MONTHS, visit_counts.YEAR]
        body = [(row.service, [cells[row.service.pk, c] for c in columns]) for row in rows]
        total = [cells[visit_counts.TOTAL, c] for c in columns]
        tables.append({"caption": caption % {"year": year}, "rows": body, "total": total})
        if measure == "persons" and rows:
            persons = total[:12]
    chart = bar_chart(list(zip(months, persons, strict=True)), hidden="<5") if rows else None
    return render(
        request,
        "outcomes/visit_statistics.html",
        {
            "form": form,
            "unit": unit,
            "year": year,
            "months": months,
            "tables": tables,
            "chart": chart,
            "chart_rows": list(zip(months, persons, strict=True)) if rows else [],
            "smallest": SMALLEST_CELL,
        },
    )


@require_safe
def statistics_csv(request: AuthedRequest) -> HttpResponse:
    """The same counts for the unit and year, exact (as the 1 November count's file):
    for the municipality's own reporting, and counts only, never a visitor; a row per
    service and month."""
    _form, _units, unit, year = _asked(request)
    rows = visit_counts.count(year, [unit.pk] if unit else [])
    header = [_("Year"), _("Month"), _("Unit"), _("Service"), _("Visits"), _("Persons")]
    body = [
        [
            year,
            month,
            row.service.unit.name,
            row.service.name,
            row.visits[month],
            row.persons[month],
        ]
        for row in rows
        for month in visit_counts.MONTHS
    ]
    name = slugify(unit.name) if unit else "none"
    return csv_response(f"visits-{name}-{year}.csv", header, body)
