"""The leaders' evidence pages: continuity, caseload and alliance and outcome, by unit, by
method, by continuity and by organisation model; and a worker's own figures.

Who sees what (docs/evidence.md): team leaders and managers see the units they hold that
role in and every unit below them (a manager of the municipality's top unit sees the
whole municipality, as on the methods page); a worker sees only their own figures ("My
figures"); evaluators and administrators get 403. No page names a client or compares
named workers: the figures are counts, means and shares of groups, a group under 5 is
not shown, and the pages read only the evidence tables and counts, so, like the methods
page and the other leaders' statistics, they write no access log row."""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from tillit.evidence.alliance import alliance as alliance_figures
from tillit.evidence.continuity import continuity as continuity_figures
from tillit.evidence.figures import Figure, header, lines
from tillit.evidence.mine import mine as mine_figures
from tillit.evidence.refresh import latest
from tillit.evidence.stats import COMPARABLE, SMALLEST
from tillit.evidence.workload import caseload as caseload_figures
from tillit.lib.http import AuthedRequest
from tillit.lib.tables import csv_response, xlsx_response
from tillit.org.models import LEADER_ROLES, Role, Unit, units_below

YEARS_BACK = 10


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=gettext_lazy("Year"), coerce=int, choices=[])

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        latest_year = timezone.localdate().year
        self.fields["year"].choices = [  # type: ignore[attr-defined]
            (y, str(y)) for y in range(latest_year, latest_year - YEARS_BACK, -1)
        ]
        self.fields["year"].initial = latest_year


def _year(request: AuthedRequest) -> tuple[YearForm, int]:
    form = YearForm(request.GET if "year" in request.GET else None)
    year = form.cleaned_data["year"] if form.is_valid() else timezone.localdate().year
    return form, year


def leader_units(request: AuthedRequest) -> set[int]:
    """The units a team leader or manager may see figures of; 403 for anyone else."""
    if not request.user.is_leader:
        raise PermissionDenied
    return units_below(request.user.unit_ids(*LEADER_ROLES))


def _worker(request: AuthedRequest) -> None:
    if not request.user.unit_ids(Role.WORKER):
        raise PermissionDenied


PAGES: dict[str, tuple[Callable[[], str], Callable[[set[int], int], list[Figure]]]] = {
    "continuity": (lambda: _("Continuity"), continuity_figures),
    "caseload": (lambda: _("Caseload and workload"), caseload_figures),
    "alliance": (lambda: _("Alliance and outcome"), alliance_figures),
}


def _figures(request: AuthedRequest, page: str) -> tuple[YearForm, int, list[Figure], set[int]]:
    form, year = _year(request)
    if page == "mine":
        _worker(request)
        return form, year, mine_figures(request.user.pk, year), set()
    units = leader_units(request)
    return form, year, PAGES[page][1](units, year), units


def _render(request: AuthedRequest, page: str) -> HttpResponse:
    form, year, figures, units = _figures(request, page)
    title = _("My figures") if page == "mine" else PAGES[page][0]()
    return render(
        request,
        "evidence/page.html",
        {
            "page": page,
            "title": title,
            "form": form,
            "year": year,
            "figures": figures,
            "units": Unit.objects.filter(pk__in=units).values_list("name", flat=True),
            "refreshed": latest(),
            "smallest": SMALLEST,
            "comparable": COMPARABLE,
            "csv": f"evidence:{page}_csv",
            "xlsx": f"evidence:{page}_xlsx",
        },
    )


def _csv(request: AuthedRequest, page: str) -> HttpResponse:
    """One figure of the page as CSV (?figure=<key>, the first if not given)."""
    _form, year, figures, _units = _figures(request, page)
    wanted = request.GET.get("figure", "")
    figure = next((f for f in figures if f.key == wanted), figures[0] if figures else None)
    if figure is None:
        return csv_response(f"{page}-{year}.csv", [_("No figures")], [])
    return csv_response(f"{figure.key}-{year}.csv", header(figure), lines(figure))


def _xlsx(request: AuthedRequest, page: str) -> HttpResponse:
    """Every figure of the page as a sheet of one workbook."""
    _form, year, figures, _units = _figures(request, page)
    return xlsx_response(f"{page}-{year}.xlsx", [(f.title, header(f), lines(f)) for f in figures])


@require_safe
def index(request: AuthedRequest) -> HttpResponse:
    """Figures: the pages the user's roles open."""
    user = request.user
    leads, works = user.is_leader, bool(user.unit_ids(Role.WORKER))
    if not leads and not works:
        raise PermissionDenied
    return render(
        request,
        "evidence/index.html",
        {"leads": leads, "works": works, "refreshed": latest()},
    )


def _views(page: str) -> tuple[Callable, Callable, Callable]:
    @require_safe
    def show(request: AuthedRequest) -> HttpResponse:
        return _render(request, page)

    @require_safe
    def as_csv(request: AuthedRequest) -> HttpResponse:
        return _csv(request, page)

    @require_safe
    def as_xlsx(request: AuthedRequest) -> HttpResponse:
        return _xlsx(request, page)

    show.__doc__ = f"The {page} page."
    return show, as_csv, as_xlsx


continuity, continuity_csv, continuity_xlsx = _views("continuity")
caseload, caseload_csv, caseload_xlsx = _views("caseload")
alliance, alliance_csv, alliance_xlsx = _views("alliance")
mine, mine_csv, mine_xlsx = _views("mine")
