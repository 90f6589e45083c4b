"""Pages for team leaders and managers about their units' interventions, without any
client on them: the Swedish count for 1 November with its CSV for the authority, and the
register of providers (read-only; administrators keep it in the admin). Staff data and
counts only, so no access log row (as the methods page, tillit/org/views.py)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from tillit.lib.http import AuthedRequest
from tillit.lib.tables import csv_response, shown
from tillit.org.models import LEADER_ROLES, units_below
from tillit.outcomes import statistics
from tillit.outcomes.models import Intervention, Provider

YEARS_BACK = 10


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        latest = statistics.latest_year()
        first = Intervention.objects.order_by("started_on").values_list("started_on", flat=True)
        earliest = max(min(first[0].year, latest) if first else latest, latest - YEARS_BACK)
        years = range(latest, earliest - 1, -1)
        self.fields["year"].choices = [(y, str(y)) for y in years]  # type: ignore[attr-defined]
        self.fields["year"].initial = latest


def _leaders_units(request: AuthedRequest) -> set[int]:
    if not request.user.is_leader:
        raise PermissionDenied
    return units_below(request.user.unit_ids(*LEADER_ROLES))


def _year(request: AuthedRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET if "year" in request.GET else None)
    year = form.cleaned_data["year"] if form.is_valid() else statistics.latest_year()
    return form, year


@require_safe
def november(request: AuthedRequest) -> HttpResponse:
    """Persons with an intervention on 1 November by category, voluntary admissions and
    care days in the year, per unit; cells under 5 are not shown (`shown`)."""
    units = _leaders_units(request)
    form, year = _year(request)
    rows = statistics.count(year, units)
    table = [(row.unit, [shown(row.counts[c.key]) for c in statistics.CATEGORIES]) for row in rows]
    return render(
        request,
        "outcomes/november.html",
        {
            "form": form,
            "year": year,
            "day": statistics.counting_day(year),
            "categories": statistics.CATEGORIES,
            "persons": len(statistics.PERSONS),
            "admissions": len(statistics.ADMISSIONS),
            "table": table,
        },
    )


@require_safe
def november_csv(request: AuthedRequest) -> HttpResponse:
    """The same counts for the report to Socialstyrelsen, exact: the authority's form
    asks for exact figures and it suppresses small cells itself when it publishes. The
    file holds counts only, no person."""
    units = _leaders_units(request)
    _form, year = _year(request)
    rows = statistics.count(year, units)
    header = [_("Year"), _("Unit"), *[c.report for c in statistics.CATEGORIES]]
    return csv_response(
        f"socialstyrelsen-1-november-{year}.csv",
        header,
        [
            [
                year,
                row.unit.name if row.unit else _("All units"),
                *[row.counts[c.key] for c in statistics.CATEGORIES],
            ]
            for row in rows
        ],
    )


@require_safe
def providers(request: AuthedRequest) -> HttpResponse:
    """The register of providers with their prices, read-only."""
    _leaders_units(request)
    return render(
        request,
        "outcomes/providers.html",
        {"providers": Provider.objects.all()},
    )
