"""The annual client survey's pages. Staff pages hold staff data and counts, never a
client: the periods of one's units (with the unit link, its QR code, the paper form and
the typing in of paper answers), and the results for team leaders and managers. The
client's page is public: the questions only, reached by the period's unguessable link,
writing nothing but the anonymous answer (no log line, no session, no address)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.lib.charts import bar_chart
from tillit.lib.http import AuthedRequest
from tillit.lib.qr import qr_svg
from tillit.lib.tables import csv_response
from tillit.org.lockout import client_address
from tillit.org.models import LEADER_ROLES, Role, Unit, User, units_below
from tillit.survey import results as figures
from tillit.survey import services
from tillit.survey.forms import AnswerForm, PeriodForm
from tillit.survey.models import PaperTally, Period, Question

LANGUAGES = {code for code, _name in settings.LANGUAGES}
SUPPRESSED = ".."  # a hidden cell in the CSV, as official statistics write it
# Answers from one network address per period and hour. A waiting room's guest network
# puts many phones behind one address, so this stops a script, not a full waiting room.
ANSWERS_PER_ADDRESS_HOUR = 30


def _led(user: User) -> set[int]:
    """The units a team leader or manager leads, and those below them."""
    return units_below(user.unit_ids(*LEADER_ROLES))


def _staff_of(user: User) -> set[int]:
    """The units whose survey a member of staff works with: their own as worker or team
    leader, and every unit they lead from above."""
    return user.unit_ids(Role.WORKER, Role.TEAM_LEADER) | _led(user)


def _posted(request: AuthedRequest) -> QueryDict | None:
    """The form's data on a POST, even an empty one (which is then an error, not a blank
    form)."""
    return request.POST if request.method == "POST" else None


def _period_for(request: AuthedRequest, pk: int, action: str = Action.READ) -> Period:
    """The period `pk` if it is of a unit the user works with; else 404, as for any
    unit one does not belong to (logged to tillit.access, with no answer in it)."""
    period = Period.objects.select_related("unit", "questionnaire").filter(pk=pk).first()
    if period is None or period.unit_id not in _staff_of(request.user):
        access.refuse(request.user, "survey period", pk, False, action)
    assert period is not None
    return period


# -- staff: the periods ---------------------------------------------------------------------


@require_safe
def periods(request: AuthedRequest) -> HttpResponse:
    """The survey periods of the user's units, running first."""
    user = request.user
    today = timezone.localdate()
    rows = list(
        Period.objects.filter(unit_id__in=_staff_of(user))
        .select_related("unit")
        .annotate(n=Count("responses"))
        .order_by("-ends_on", "unit__name")
    )
    return render(
        request,
        "survey/periods.html",
        {
            "running": [p for p in rows if p.is_running(today)],
            "coming": [p for p in rows if p.starts_on > today],
            "ended": [p for p in rows if p.ends_on < today],
            "leads": user.is_leader,
        },
    )


@require_http_methods(["GET", "POST"])
def period_new(request: AuthedRequest) -> HttpResponse:
    """Open a survey period for a unit one leads (a team leader, or a manager above it)."""
    if not request.user.is_leader:
        raise PermissionDenied
    units = list(Unit.objects.filter(pk__in=_led(request.user)).order_by("name"))
    form = PeriodForm(_posted(request), units=units)
    if request.method == "POST" and form.is_valid():
        unit = next(u for u in units if u.pk == form.cleaned_data["unit"])
        try:
            period = services.period_open(
                actor=request.user,
                unit=unit,
                starts_on=form.cleaned_data["starts_on"],
                ends_on=form.cleaned_data["ends_on"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The survey period is open."))
            return redirect("survey:period", pk=period.pk)
    return render(request, "survey/period_new.html", {"form": form})


def _answer_url(request: AuthedRequest, period: Period) -> str:
    return request.build_absolute_uri(reverse("survey:answer", args=[period.token]))


@require_safe
def period(request: AuthedRequest, pk: int) -> HttpResponse:
    """A period: the unit link and its QR code for the waiting room, the paper form, the
    typing in of paper answers, and how many have answered (a count, nothing else)."""
    found = _period_for(request, pk)
    url = _answer_url(request, found)
    return render(
        request,
        "survey/period.html",
        {
            "period": found,
            "running": found.is_running(),
            "may_type": services.may_type_paper(found),
            "link_url": url,
            "link_qr": qr_svg(url, _("QR code of the survey's link, for a phone's camera")),
            "responses": found.responses.count(),
            "clients": figures.clients_in(found.unit_id, [(found.starts_on, found.ends_on)]),
            "tallies": PaperTally.objects.filter(period=found).select_related("staff"),
            "languages": settings.LANGUAGES,
        },
    )


@require_safe
def poster(request: AuthedRequest, pk: int) -> HttpResponse:
    """A page to print for the waiting room: the QR code, the link and the dates."""
    found = _period_for(request, pk)
    url = _answer_url(request, found)
    return render(
        request,
        "survey/poster.html",
        {
            "period": found,
            "link_url": url,
            "link_qr": qr_svg(url, _("QR code of the survey's link, for a phone's camera")),
        },
    )


def _language(request: AuthedRequest) -> str:
    chosen = request.GET.get("lang", "")
    return chosen if chosen in LANGUAGES else translation.get_language()


@require_safe
def paper_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The paper form as a PDF to print, in the language asked for (`?lang=`)."""
    from weasyprint import HTML

    found = _period_for(request, pk)
    with translation.override(_language(request)):
        form = AnswerForm(questionnaire=found.questionnaire)
        html = render_to_string(
            "survey/pdf.html",
            {"period": found, "questionnaire": found.questionnaire, "form": form},
        )
    response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="survey-{found.code}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
def paper_entry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Type in one paper form. The answer does not record who typed it; only the count
    of forms per member of staff goes up."""
    found = _period_for(request, pk, Action.CREATE)
    form = AnswerForm(_posted(request), questionnaire=found.questionnaire, paper=True)
    if request.method == "POST" and form.is_valid():
        try:
            _response, made = services.paper_record(
                actor=request.user,
                period=found,
                answers=form.answers(),
                free_text=form.cleaned_data.get("free_text", ""),
                names_removed=form.cleaned_data.get("names_removed", False),
                submission=form.cleaned_data.get("submission"),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if made:
                messages.success(request, _("The form is saved. Type in the next one."))
            else:
                messages.info(request, _("This form was already saved."))
            return redirect("survey:paper_entry", pk=found.pk)
    mine = PaperTally.objects.filter(period=found, staff=request.user).first()
    return render(
        request,
        "survey/paper_entry.html",
        {
            "period": found,
            "form": form,
            "may_type": services.may_type_paper(found),
            "typed": mine.forms if mine else 0,
        },
    )


# -- the client's page ----------------------------------------------------------------------


def _cookie(period: Period) -> str:
    return f"tillit_survey_{period.pk}"


def _throttled(request: AuthedRequest, period: Period) -> bool:
    """Too many answers from this address to this period in the hour? The address is
    kept only as a keyed hash in the process's memory for an hour, and never with an
    answer."""
    address = client_address(request) or ""
    key = f"survey:{period.pk}:{salted_hmac('tillit.survey', address).hexdigest()[:32]}"
    cache.add(key, 0, 3600)
    try:
        return cache.incr(key) > ANSWERS_PER_ADDRESS_HOUR
    except ValueError:  # expired between add and incr
        return False


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: AuthedRequest, token: str) -> HttpResponse:
    """The survey on the client's phone: the questions, no login, nothing of anyone.
    Answers are taken while the period runs; one per phone (a signed cookie)."""
    found = services.period_for_token(token)
    with translation.override(_language(request)):
        if found is None:
            return render(request, "survey/answer_invalid.html", status=404)
        today = timezone.localdate()
        if not found.is_running(today):
            return render(
                request,
                "survey/answer_closed.html",
                {"period": found, "not_yet": today < found.starts_on},
            )
        answered = request.get_signed_cookie(_cookie(found), "", salt="tillit.survey") == "1"
        if answered:
            return render(request, "survey/answer_thanks.html", {"period": found, "again": True})
        form = AnswerForm(_posted(request), questionnaire=found.questionnaire)
        status = 200
        if request.method == "POST" and form.is_valid():
            if _throttled(request, found):
                form.add_error(
                    None, _("Many answers have come from this network just now. Please try later.")
                )
                status = 429
            else:
                try:
                    services.response_record(
                        period=found,
                        answers=form.answers(),
                        free_text=form.cleaned_data.get("free_text", ""),
                        submission=form.cleaned_data.get("submission"),
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    response = render(request, "survey/answer_thanks.html", {"period": found})
                    response.set_signed_cookie(
                        _cookie(found),
                        "1",
                        salt="tillit.survey",
                        max_age=((found.ends_on - today).days + 1) * 86400,
                        secure=settings.SESSION_COOKIE_SECURE,
                        httponly=True,
                        samesite="Lax",
                    )
                    return response
        return render(request, "survey/answer.html", {"period": found, "form": form}, status=status)


# -- results: team leaders and managers -----------------------------------------------------


def _results_scope(request: AuthedRequest) -> tuple[list[Unit], Unit | None, int | None, list[int]]:
    """The units the reader may see results of, the one asked for (`?unit=`), the year
    asked for (`?year=`) and the years with results. Statistics for team leaders and
    managers: anyone else gets 403; a unit not theirs, 404."""
    user = request.user
    if not user.is_leader:
        raise PermissionDenied
    units = list(Unit.objects.filter(pk__in=_led(user)).order_by("name"))
    ended = Period.objects.filter(unit__in=units, ends_on__lt=timezone.localdate())
    years = sorted({d.year for d in ended.values_list("starts_on", flat=True)}, reverse=True)
    asked = request.GET.get("unit", "")
    if asked:
        unit = next((u for u in units if str(u.pk) == asked), None)
        if unit is None:
            access.refuse(user, "unit", asked[:20], False, Action.READ)
    else:
        with_periods = set(ended.values_list("unit_id", flat=True))
        unit = next((u for u in units if u.pk in with_periods), units[0] if units else None)
    asked_year = request.GET.get("year", "")
    year = int(asked_year) if asked_year.isdigit() and int(asked_year) in years else None
    return units, unit, year if year is not None else (years[0] if years else None), years


def _questions() -> list[Question]:
    return list(
        Question.objects.filter(questionnaire__key=services.DEFAULT)
        .select_related("questionnaire")
        .order_by("order")
    )


def _year(year: int, units: list[Unit]) -> figures.Year:
    """The year's results, counting only the periods that have ended: a running period's
    figures would change with each answer, and the change would show that answer."""
    return figures.year_results(year, units, _questions(), before=timezone.localdate())


@require_safe
def results(request: AuthedRequest) -> HttpResponse:
    """Per unit and year: the share of positive answers to each question with n, the
    previous year and the municipality beside it; the answers and the response rate of
    every unit the reader may see; free text from a unit with enough answers."""
    units, unit, year, years = _results_scope(request)
    context: dict = {"units": units, "unit": unit, "years": years, "year": year}
    if unit is not None and year is not None:
        found = _year(year, units)
        shown = next(u for u in found.units if u.unit.pk == unit.pk)
        context |= {
            "found": found,
            "shown": shown,
            "chart": bar_chart([(row.question.label, row.percent) for row in shown.rows])
            if shown.shown
            else None,
            "smallest": figures.MIN_ANSWERS,
        }
    return render(request, "survey/results.html", context)


@require_safe
def results_csv(request: AuthedRequest) -> HttpResponse:
    """The year's figures of every unit the reader may see, hidden cells as '..'. No
    free text leaves in the file."""
    units, _unit, year, _years = _results_scope(request)
    header = [
        _("Unit"),
        _("Year"),
        _("Answers in the unit"),
        _("Clients in the period"),
        _("Response rate (%)"),
        _("Question"),
        _("n (answers on the four steps)"),
        _("Don't know or no help"),
        _("Positive (%)"),
        _("Previous year (%)"),
        _("Municipality (%)"),
    ]
    body: list[list[object]] = []
    if year is not None:
        for unit_year in _year(year, units).units:
            clients = unit_year.clients if (unit_year.clients or 0) >= 5 else None
            for row in unit_year.rows:
                share = row.share
                body.append(
                    [
                        unit_year.unit.name,
                        year,
                        unit_year.responses,
                        SUPPRESSED if clients is None else clients,
                        SUPPRESSED if clients is None else unit_year.rate,
                        row.question.label,
                        SUPPRESSED if share is None else share.counted,
                        SUPPRESSED if share is None else share.dont_know + share.no_help,
                        SUPPRESSED if row.percent is None else row.percent,
                        SUPPRESSED if row.last_year is None else row.last_year,
                        SUPPRESSED if row.municipality is None else row.municipality,
                    ]
                )
    name = slugify(f"survey-{year or ''}") or "survey"
    return csv_response(f"{name}.csv", header, body)
