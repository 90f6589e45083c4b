from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Assignment, AssignmentRole, JournalEntry
from tillit.feedback import services
from tillit.feedback.forms import AlertCloseForm, AnswersForm, PaperForm, UnlockForm, WhenForm
from tillit.feedback.middleware import CLIENT_MODE
from tillit.feedback.models import Alert, Channel, Response, When
from tillit.feedback.queries import open_alerts
from tillit.lib.charts import Series, line_chart
from tillit.lib.http import AuthedRequest
from tillit.lib.qr import qr_svg
from tillit.org import lockout
from tillit.outcomes.models import Intervention

CHARTED = ("relationship", "life")
LANGUAGES = {code for code, _name in settings.LANGUAGES}


def _client_language(request: AuthedRequest, preferred: str) -> str:
    """The client's screens open in their preferred language; they may switch."""
    chosen = request.GET.get("lang", "")
    return chosen if chosen in LANGUAGES else preferred


def meeting(request: AuthedRequest, pk: int) -> HttpResponse:
    """The worker's view of one meeting's feedback: what is answered, and three ways to
    ask: hand over this device, a one-time link for the client's phone, or paper."""
    action = Action.CREATE if request.method == "POST" else Action.READ
    entry, _grant = access.get_entry_for(request, pk, action)
    asked = request.GET.get("when", "")
    form = WhenForm(
        request.POST or None, initial={"when": asked if asked in When.values else When.AFTER}
    )
    link_url = link_qr = None
    if request.method == "POST" and form.is_valid():
        when = form.cleaned_data["when"]
        how = request.POST.get("how")
        if how == "hand_over":
            request.session[CLIENT_MODE] = {
                "entry": entry.pk,
                "when": when,
            }
            return redirect("feedback:answer")
        if how == "paper":
            return redirect(reverse("feedback:paper", args=[entry.pk]) + f"?when={when}")
        _link, token = services.answer_link_create(actor=request.user, entry=entry, when=when)
        link_url = request.build_absolute_uri(reverse("feedback:link", args=[token]))
        link_qr = qr_svg(link_url, _("QR code of the link, for the client's phone camera"))
    responses = list(
        Response.objects.filter(entry=entry).select_related("instrument").prefetch_related("alerts")
    )
    return render(
        request,
        "feedback/meeting.html",
        {
            "entry": entry,
            "person": entry.case.person,
            "form": form,
            "responses": responses,
            "link_url": link_url,
            "link_qr": link_qr,
            "link_hours": services.LINK_HOURS,
        },
    )


def _unanswered(entry: JournalEntry, when: str) -> list:
    answered = set(Response.objects.filter(entry=entry).values_list("instrument_id", flat=True))
    return [i for i in services.instruments_for(when) if i.pk not in answered]


@never_cache
def answer(request: AuthedRequest) -> HttpResponse:
    """The client-facing screen on the worker's device: questions only, no record data."""
    mode = request.session.get(CLIENT_MODE)
    if not mode:
        return redirect("home")
    entry, _grant = access.get_entry_for(request, mode["entry"], Action.CREATE)
    with translation.override(_client_language(request, entry.case.person.preferred_language)):
        return _answer_in_meeting(request, entry, mode["when"])


def _answers_form(request: AuthedRequest, entry: JournalEntry, instruments: list) -> AnswersForm:
    return AnswersForm(
        request.POST or None,
        instruments=instruments,
        switched_off=services.switched_off_keys(entry.case_id),
    )


def _record(form: AnswersForm, entry: JournalEntry, channel: str, **kwargs) -> bool:
    """Record a valid posted form; a refusal becomes the form's error. True if saved."""
    if not form.instruments:  # all answered since the form was shown (a second tab)
        form.add_error(None, _("These answers were already given for this meeting."))
        return False
    try:
        services.responses_record(
            entry=entry,
            instruments=form.instruments,
            answers=form.answers(),
            open_answers=form.open_answers(),
            channel=channel,
            **kwargs,
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True


def _answer_in_meeting(request: AuthedRequest, entry: JournalEntry, when: str) -> HttpResponse:
    instruments = _unanswered(entry, when)
    if not instruments:
        return render(request, "feedback/thanks.html", {"hand_back": True})
    form = _answers_form(request, entry, instruments)
    if (
        request.method == "POST"
        and form.is_valid()
        and _record(
            form, entry, Channel.MEETING, given_on=timezone.localdate(), worker=request.user
        )
    ):
        return redirect("feedback:answer")
    return render(request, "feedback/answer.html", {"form": form, "hand_back": True})


@sensitive_post_parameters("password")
@never_cache
def unlock(request: AuthedRequest) -> HttpResponse:
    """Only the worker's password turns the device back into the worker's."""
    mode = request.session.get(CLIENT_MODE)
    if not mode:
        return redirect("home")
    form = UnlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Through authenticate(), so that wrong passwords are counted and locked out like
        # a login's (tillit/org/lockout.py): a client holding the device cannot guess on.
        user = authenticate(
            request, username=request.user.get_username(), password=form.cleaned_data["password"]
        )
        if user is not None and user.pk == request.user.pk:
            lockout.succeeded(request, request.user)
            del request.session[CLIENT_MODE]
            return redirect("feedback:meeting", pk=mode["entry"])
        form.add_error("password", _("That is not the right password."))
    return render(request, "feedback/unlock.html", {"form": form})


@login_not_required
@never_cache
@transaction.atomic  # the link is read under a lock, on a GET too (answer_link_open)
def link(request: AuthedRequest, token: str) -> HttpResponse:
    """A one-time link on the client's phone: the questions, nothing else."""
    answer_link = services.answer_link_open(token)
    if answer_link is None:
        return render(request, "feedback/link_invalid.html", status=404)
    entry = answer_link.entry
    instruments = _unanswered(entry, answer_link.when)
    with translation.override(_client_language(request, entry.case.person.preferred_language)):
        form = _answers_form(request, entry, instruments)
        if (
            request.method == "POST"
            and form.is_valid()
            and _record(
                form,
                entry,
                Channel.LINK,
                given_on=timezone.localdate(),
                worker=answer_link.created_by,
            )
        ):
            services.answer_link_use(answer_link)
            return render(request, "feedback/thanks.html", {"hand_back": False})
        return render(request, "feedback/answer.html", {"form": form, "hand_back": False})


def paper(request: AuthedRequest, pk: int) -> HttpResponse:
    """Type in answers the client gave on paper, with the date they gave them."""
    entry, _grant = access.get_entry_for(request, pk, Action.CREATE)
    when = request.GET.get("when") or request.POST.get("when") or When.AFTER
    if when not in When.values:
        raise Http404
    form = _answers_form(request, entry, _unanswered(entry, when))
    date_form = PaperForm(
        request.POST or None, initial={"given_on": timezone.localtime(entry.happened_at).date()}
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and date_form.is_valid()
        and _record(
            form,
            entry,
            Channel.PAPER,
            given_on=date_form.cleaned_data["given_on"],
            worker=request.user,
        )
    ):
        messages.success(request, _("The answers are saved."))
        return redirect("feedback:meeting", pk=entry.pk)
    return render(
        request,
        "feedback/paper.html",
        {
            "entry": entry,
            "form": form,
            "date_form": date_form,
            "when": when,
        },
    )


@require_safe
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """One client's checks over meetings: a chart with its data table, and the alerts."""
    granted = access.get_person_for(request, pk, Action.READ)
    cases = granted.cases
    alerts = list(
        Alert.objects.filter(case__in=cases).select_related("response__instrument", "closed_by")
    )
    return render(
        request,
        "feedback/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "alerts": alerts,
            **checks_over_meetings(cases),
        },
    )


def checks_over_meetings(cases: list) -> dict:
    """The relationship and life checks of `cases`, meeting by meeting, as a chart and its
    table, with marks where the contact person changed. Also shown to the client."""
    responses = list(
        Response.objects.filter(case__in=cases, instrument__key__in=CHARTED)
        .select_related("instrument")
        .order_by("given_on", "entry_id")
    )
    meetings: dict[int, dict] = {}
    for r in responses:
        row = meetings.setdefault(r.entry_id, {"date": r.given_on, "scores": {}})
        row["scores"][r.instrument.key] = r.score
    rows = list(meetings.values())
    titles = {r.instrument.key: r.instrument.title for r in responses}
    series = [
        Series(
            key,
            titles.get(key, key),
            [row["scores"].get(key) for row in rows],
            shape="square" if key == "life" else "circle",
        )
        for key in CHARTED
    ]
    changes = list(
        Assignment.objects.filter(case__in=cases, role=AssignmentRole.CONTACT_PERSON)
        .select_related("worker")
        .order_by("started_on")
    )[1:]
    started = list(Intervention.objects.filter(case__in=cases).order_by("started_on"))
    events = [
        (c.started_on, _("New contact person: %(name)s") % {"name": c.worker}) for c in changes
    ] + [(i.started_on, _("Started: %(what)s") % {"what": i.name}) for i in started]
    marks = []
    for when, label in sorted(events, key=lambda event: event[0]):
        position = next((i for i, row in enumerate(rows) if row["date"] >= when), None)
        if position is not None:
            marks.append((position, label))
    for row in rows:
        row["values"] = [row["scores"].get(s.key) for s in series]
    chart = line_chart(series, [row["date"] for row in rows], low=0, high=10, marks=marks)
    return {
        "chart": chart,
        "rows": rows,
        "series": series,
        "changes": changes,
        "interventions": started,
    }


def _latest(key: str) -> Subquery:
    latest = Response.objects.filter(case=OuterRef("pk"), instrument__key=key).order_by(
        "-given_on", "-created_at"
    )
    return Subquery(latest.values("score")[:1])


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """A worker's clients with their latest scores and open alerts."""
    cases = list(
        access.visible_cases(request.user, assigned_only=True)
        .open()
        .select_related("person")
        .annotate(
            relationship=_latest("relationship"), life=_latest("life"), open_alerts=open_alerts()
        )
        .order_by("person__last_name", "person__first_name", "pk")
    )
    access.record_list(request, "feedback", sorted({c.person_id for c in cases}))
    return render(request, "feedback/mine.html", {"cases": cases})


def alert_close(request: AuthedRequest, pk: int) -> HttpResponse:
    """Close an alert by recording what was done about it."""
    alert, _grant = access.get_on_case_for(request, Alert, "alert", pk, Action.UPDATE)
    case = alert.case
    form = AlertCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.alert_close(actor=request.user, alert=alert, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The alert is closed with your response."))
            return redirect("feedback:person", pk=case.person_id)
    return render(
        request, "feedback/alert_close.html", {"alert": alert, "form": form, "person": case.person}
    )
