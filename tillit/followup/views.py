"""Closing a case, reopening it, the follow-ups after it, the client's one-time link, and
the unit's follow-up table. Every view of a client's data starts with an access helper."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Case, EntryStatus, JournalEntry
from tillit.followup import queries, services
from tillit.followup.forms import (
    AttemptForm,
    ClientFollowUpForm,
    CloseForm,
    FollowUpForm,
    ReopenForm,
)
from tillit.followup.models import Closing, FollowUp
from tillit.lib.charts import bar_chart
from tillit.lib.http import AuthedRequest, told
from tillit.lib.qr import qr_svg
from tillit.lib.tables import csv_response
from tillit.org.models import LEADER_ROLES, Unit, units_below

LANGUAGES = {code for code, _name in settings.LANGUAGES}
SUPPRESSED = ".."  # a cell too small to publish, in the CSV (as official statistics write it)


@require_safe
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """The closings and follow-ups of a client's cases: close an open case, reopen a
    closed one, follow up."""
    granted = access.get_person_for(request, pk, Action.READ)
    cases = granted.cases
    closings = {
        c.case_id: c
        for c in Closing.objects.filter(case__in=cases)
        .select_related("closed_by")
        .prefetch_related("followups__attempts", "followups__recorded_by")
    }
    reopened = set(Case.objects.filter(previous__in=cases).values_list("previous_id", flat=True))
    periods = [
        {"case": case, "closing": closings.get(case.pk), "reopened": case.pk in reopened}
        for case in sorted(cases, key=lambda c: (c.opened_on, c.pk), reverse=True)
    ]
    return render(
        request,
        "followup/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "grant": granted.grant,
            "periods": periods,
            "today": timezone.localdate(),
        },
    )


@require_http_methods(["GET", "POST"])
def close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close a case: why, in the client's words, each of the user's drafts signed or
    discarded, and when to follow up. Refused while a decision is in force or someone
    else's draft is on the case."""
    case, _grant = access.get_case_for(request, pk, Action.UPDATE)
    if not case.is_open:
        if request.method == "POST":
            messages.info(request, str(services.ALREADY_CLOSED))
            return redirect("followup:person", pk=case.person_id)
        return render(request, "followup/close.html", {"case": case, "closed": True})
    today = timezone.localdate()
    drafts = list(
        JournalEntry.objects.filter(case=case, status=EntryStatus.DRAFT)
        .select_related("author")
        .order_by("happened_at", "pk")
    )
    mine = [d for d in drafts if d.author_id == request.user.pk]
    form = CloseForm(request.POST or None, drafts=mine)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.case_close(
                actor=request.user,
                case=case,
                reason=data["reason"],
                reason_text=data["reason_text"],
                client_words=data["client_words"],
                closed_on=data["closed_on"],
                drafts=form.draft_choices(),
                follow_up_on=form.follow_up_on(),
            )
        except ValidationError as error:
            if error.code == "closed":
                messages.info(request, error.messages[0])
                return redirect("followup:person", pk=case.person_id)
            form.add_error(None, error)
        else:
            messages.success(request, _("The case is closed."))
            return redirect("followup:person", pk=case.person_id)
    blockers = [
        message
        for message in (
            services.open_decisions_message(case, today),
            services.others_drafts_message(drafts, request.user),
        )
        if message
    ]
    return render(
        request,
        "followup/close.html",
        {"case": case, "person": case.person, "form": form, "blockers": blockers},
    )


@require_http_methods(["GET", "POST"])
def reopen(request: AuthedRequest, pk: int) -> HttpResponse:
    """Reopen a closed case: a new period, linked to the old one."""
    case, _grant = access.get_case_for(request, pk, Action.CREATE)
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.case_reopen(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("The case is reopened as a new period."))
        return redirect("followup:person", pk=case.person_id)
    return render(
        request, "followup/reopen.html", {"case": case, "person": case.person, "form": form}
    )


def _followup_for(request: AuthedRequest, pk: int, action: str) -> FollowUp:
    followup, _grant = access.get_on_case_for(
        request, FollowUp, "follow-up", pk, action, case="closing__case"
    )
    return followup


def _followup_page(
    request: AuthedRequest, followup: FollowUp, form=None, link_url: str = ""
) -> HttpResponse:
    case = followup.closing.case
    return render(
        request,
        "followup/followup.html",
        {
            "followup": followup,
            "closing": followup.closing,
            "case": case,
            "person": case.person,
            "attempts": list(followup.attempts.select_related("by")),
            "form": form or FollowUpForm(life=services.life_check()),
            "attempt_form": AttemptForm(),
            "link_url": link_url,
            "link_qr": qr_svg(link_url, _("QR code of the link, for the client's phone camera"))
            if link_url
            else "",
            "link_days": services.LINK_DAYS,
            "life": _life_rows(followup),
        },
    )


def _life_rows(followup: FollowUp) -> list[tuple[str, int]]:
    instrument = services.life_check() if followup.life else None
    if instrument is None:
        return []
    return [
        (item.label, followup.life[item.key])
        for item in instrument.items.all()
        if item.key in followup.life
    ]


@require_http_methods(["GET", "POST"])
def followup(request: AuthedRequest, pk: int) -> HttpResponse:
    """One follow-up: record the conversation held, a try to reach the client, or send
    them a one-time link."""
    item = _followup_for(request, pk, Action.UPDATE)
    form = FollowUpForm(request.POST or None, life=services.life_check())
    if request.method == "POST" and form.is_valid():
        try:
            services.followup_record(
                followup=item,
                actor=request.user,
                held_on=form.cleaned_data["held_on"],
                channel=form.cleaned_data["channel"],
                **form.answers(),
            )
        except ValidationError as error:
            item.refresh_from_db()
            if not item.is_open:  # recorded or cancelled meanwhile: a second tab
                messages.error(request, error.messages[0])
                return redirect("followup:followup", pk=item.pk)
            form.add_error(None, error)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("followup:person", pk=item.closing.case.person_id)
    return _followup_page(request, item, form)


@require_POST
def attempt(request: AuthedRequest, pk: int) -> HttpResponse:
    """A try to reach the client; the last one may record the follow-up as not reached."""
    item = _followup_for(request, pk, Action.UPDATE)
    form = AttemptForm(request.POST)
    if form.is_valid():
        done = (
            _("The follow-up is recorded as not reached.")
            if form.cleaned_data["give_up"]
            else _("The try is recorded.")
        )
        with told(request, done):
            services.attempt_record(actor=request.user, followup=item, **form.cleaned_data)
    else:
        messages.error(request, str(next(iter(form.errors.values()))[0]))
    return redirect("followup:followup", pk=item.pk)


@require_POST
def link_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """A one-time link for the client's phone, shown once with its QR code."""
    item = _followup_for(request, pk, Action.CREATE)
    try:
        _link, token = services.link_create(actor=request.user, followup=item)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("followup:followup", pk=item.pk)
    url = request.build_absolute_uri(reverse("followup:link", args=[token]))
    return _followup_page(request, item, link_url=url)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
@transaction.atomic  # the link is read under a lock, on a GET too (services.link_open)
def link(request: AuthedRequest, token: str) -> HttpResponse:
    """The follow-up on the client's phone: the questions, nothing of the record."""
    found = services.link_open(token)
    if found is None:
        return render(request, "followup/link_invalid.html", status=404)
    preferred = found.followup.closing.case.person.preferred_language
    chosen = request.GET.get("lang", "")
    with translation.override(chosen if chosen in LANGUAGES else preferred):
        form = ClientFollowUpForm(request.POST or None, life=services.life_check())
        if request.method == "POST" and form.is_valid():
            try:
                services.link_answer(link=found, **form.answers())
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return render(request, "followup/link_thanks.html")
        return render(request, "followup/link.html", {"form": form})


# -- the follow-up table -------------------------------------------------------------------


def _table_unit(request: AuthedRequest) -> tuple[Unit, list[Unit]]:
    """The unit asked for, among the units the team leader or manager leads and those
    below them; statistics, so no one else's (a worker: 403; another unit: 404)."""
    user = request.user
    if not user.is_leader:
        raise PermissionDenied
    units = list(Unit.objects.filter(pk__in=units_below(user.unit_ids(*LEADER_ROLES))))
    asked = request.GET.get("unit", "")
    if not asked:
        # The unit with the most closings first: a leader of several units lands on numbers.
        per_unit = Closing.objects.filter(case__unit__in=units).values("case__unit")
        closings = dict(per_unit.annotate(n=Count("pk")).values_list("case__unit", "n"))
        ranked = sorted(units, key=lambda u: (-closings.get(u.pk, 0), not u.does_follow_up, u.name))
        return ranked[0], units
    unit = next((u for u in units if str(u.pk) == asked), None)
    if unit is None:
        access.refuse(user, "unit", asked, False, Action.READ)
    assert unit is not None
    return unit, units


def _labels() -> dict[str, str]:
    return {
        "closed": _("Closed cases"),
        "followed_up": _("Followed up"),
        "reached": _("Reached"),
        "lasting": _("Lasting improvement"),
        "temporary": _("Temporary improvement"),
        "no_change": _("No change"),
        "worse": _("Worse"),
        "not_reached": _("Not reached"),
    }


@require_safe
def table(request: AuthedRequest) -> HttpResponse:
    """The unit's follow-up table per year of closing, as Bjuv counted it, with small
    cells hidden, and the chosen year as a chart beside its numbers."""
    unit, units = _table_unit(request)
    rows = queries.table(unit.pk)
    labels = _labels()
    shown = [(row, row.cells()) for row in rows]
    years = [row.year for row in rows]
    asked = request.GET.get("year", "")
    # By default the latest year whose follow-ups show: a year of few follow-ups is dashes.
    shown_years = [row.year for row, c in shown if c["reached"] is not None] or years
    year = int(asked) if asked.isdigit() and int(asked) in years else None
    if year is None and shown_years:
        year = shown_years[-1]
    chart = None
    cells = {}
    if year is not None:
        cells = next(c for row, c in shown if row.year == year)
        chart = bar_chart([(labels[name], cells[name]) for name in queries.COLUMNS])
    return render(
        request,
        "followup/table.html",
        {
            "unit": unit,
            "units": units,
            "rows": [(row.year, [c[name] for name in queries.COLUMNS]) for row, c in shown],
            "labels": [labels[name] for name in queries.COLUMNS],
            "year_shown": year,
            "chart": chart,
            "chart_rows": [(labels[name], cells[name]) for name in queries.COLUMNS]
            if year is not None
            else [],
            "smallest": 5,
        },
    )


@require_safe
def table_csv(request: AuthedRequest) -> HttpResponse:
    """The table as CSV, recorded as an export."""
    unit, _units = _table_unit(request)
    rows = queries.table(unit.pk)
    access.record(
        request, Action.EXPORT, unit_id=unit.pk, detail={"page": "followup_table", "unit": unit.pk}
    )
    labels = _labels()
    header = [_("Unit"), _("Year"), *(labels[name] for name in queries.COLUMNS)]
    body = [
        [unit.name, row.year, *(SUPPRESSED if v is None else v for v in row.cells().values())]
        for row in rows
    ]
    return csv_response(f"followup-{slugify(unit.name) or unit.pk}.csv", header, body)
