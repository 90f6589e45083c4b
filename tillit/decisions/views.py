"""Decisions: a client's decisions across their cases, recording, editing and signing a
draft, replacing a signed decision by a new one, recording that it was told to the client
and why it is not carried out yet, the decision letter; and for a unit's team leaders the
decisions waiting to be carried out and the quarterly report to IVO. Every view starts
with the access policy's helper, which writes the request's one audit row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Case
from tillit.decisions import queries, services
from tillit.decisions.appeal import country_of, standard_text
from tillit.decisions.forms import CommunicatedForm, DecisionForm, DelayForm, QuarterForm
from tillit.decisions.models import Decision
from tillit.lib.confirm import Confirmation
from tillit.lib.http import AuthedRequest, told
from tillit.lib.revisions import Conflict, conflict_context, revision_for
from tillit.lib.tables import csv_response


def _decision_for(request: AuthedRequest, pk: int, action: str) -> Decision:
    return access.get_on_case_for(request, Decision, "decision", pk, action)[0]


def _replacement(decision: Decision) -> Decision | None:
    return Decision.objects.filter(replaces=decision).only("pk", "signed_at", "decided_on").first()


def _form_data(form: DecisionForm) -> dict:
    return {name: form.cleaned_data[name] for name in services.DRAFT_FIELDS}


# -- a client's decisions -----------------------------------------------------------------


@require_safe
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client's decisions on every case the reader may open, newest first."""
    granted = access.get_person_for(request, pk, Action.READ)
    signed_replacement = Decision.objects.filter(replaces=OuterRef("pk"), signed_at__isnull=False)
    decisions = (
        Decision.objects.filter(case__in=granted.cases)
        .select_related("case__unit", "law", "decided_by")
        .annotate(replaced=Exists(signed_replacement))
    )
    return render(
        request,
        "decisions/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "grant": granted.grant,
            "decisions": decisions,
            "open_cases": [c for c in granted.cases if c.is_open],
        },
    )


def _new_form(case: Case, data=None, initial: dict | None = None) -> DecisionForm:
    person = case.person
    country = country_of(person)
    start = {"appeal_info": standard_text(country, person.preferred_language)}
    return DecisionForm(data, country=country, initial={**start, **(initial or {})})


def _create(request: AuthedRequest, case: Case, form: DecisionForm, replaces=None):
    """Make the draft from a valid form; None with the form's errors set if refused."""
    try:
        return services.decision_create(
            actor=request.user,
            case=case,
            replaces=replaces,
            submission=form.cleaned_data.get("submission"),
            **_form_data(form),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return None


@require_http_methods(["GET", "HEAD", "POST"])
def new(request: AuthedRequest, pk: int) -> HttpResponse:
    """A new decision on a case, saved as a draft; its appeal information is filled in
    with the country's standard text in the client's language."""
    case, _grant = access.get_case_for(request, pk, Action.CREATE)
    form = _new_form(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        decision = _create(request, case, form)
        if decision is not None:
            messages.success(request, _("The decision is saved as a draft."))
            return redirect("decisions:decision", pk=decision.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "case": case, "person": case.person, "replaces": None}
    return render(request, "decisions/new.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def replace(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a signed decision: a new draft that replaces it, filled in from it. Ending a
    decision period early is such a decision, with an earlier end."""
    old = _decision_for(request, pk, Action.CREATE)
    case = old.case
    newer = _replacement(old)
    if newer is not None or not old.is_signed:
        if newer is not None:
            messages.info(request, _("There is already a new decision that replaces this one."))
            return redirect("decisions:decision", pk=newer.pk)
        messages.error(
            request, _("A draft is changed as it is; only a signed decision is replaced.")
        )
        return redirect("decisions:decision", pk=old.pk)
    form = _new_form(case, request.POST or None, services.replacement_initial(old))
    if request.method == "POST" and form.is_valid():
        decision = _create(request, case, form, replaces=old)
        if decision is not None:
            messages.success(
                request,
                _(
                    "The new decision is saved as a draft. The one it replaces holds until "
                    "it is signed."
                ),
            )
            return redirect("decisions:decision", pk=decision.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "case": case, "person": case.person, "replaces": old}
    return render(request, "decisions/new.html", context, status=status)


# -- one decision -------------------------------------------------------------------------


def _sign_confirmation(decision: Decision) -> Confirmation:
    return Confirmation(
        id="confirm-sign",
        question=_("Sign the decision for %(name)s?") % {"name": decision.case.person.full_name},
        consequence=_(
            "The draft is signed as it is saved. A signed decision cannot be changed: a "
            "change later is a new decision that replaces it, and this one is kept as it was."
        ),
        ask=_("Sign the decision"),
        yes=_("Yes, sign the decision"),
        action=reverse("decisions:sign", args=[decision.pk]),
        back=reverse("decisions:decision", args=[decision.pk]),
    )


def _edit_form(decision: Decision, data=None) -> DecisionForm:
    return DecisionForm(
        data,
        instance=decision if data is None else None,
        initial={"revision": decision.revision},
        country=decision.law.country,
    )


def _detail(
    request: AuthedRequest,
    decision: Decision,
    status: int = 200,
    read_only: bool = False,
    **override,
) -> HttpResponse:
    """The decision's page; `override` puts a form with errors, or a conflict, in place."""
    decision = Decision.objects.select_related(
        "case__person", "case__unit", "law", "decided_by", "replaces"
    ).get(pk=decision.pk)
    today = timezone.localdate()
    waiting_since = None
    if decision.is_signed and decision.grants and decision.carried_out_on is None:
        waiting_since = max(decision.decided_on, decision.starts_on or decision.decided_on)
    context = {
        "decision": decision,
        "read_only": read_only,
        "person": decision.case.person,
        "newer": _replacement(decision),
        "form": override.get("form") or (None if decision.is_signed else _edit_form(decision)),
        "conflict": override.get("conflict"),
        "sign": _sign_confirmation(decision),
        "communicated_form": override.get("communicated")
        or CommunicatedForm(
            initial={
                "communicated_on": decision.communicated_on or today,
                "communicated_how": decision.communicated_how,
            }
        ),
        "delay_form": override.get("delay")
        or DelayForm(initial={"delay_reason": decision.delay_reason}),
        "waiting_since": waiting_since,
        "days_waiting": (today - waiting_since).days if waiting_since else None,
        "overdue": waiting_since is not None and waiting_since < queries.months_before(today),
    }
    return render(request, "decisions/decision.html", context, status=status)


def _as_posted(decision: Decision) -> dict:
    """The draft as its form would post it: to show what it lacks beside its fields."""
    data = {name: getattr(decision, name) for name in services.DRAFT_FIELDS}
    return {**data, "law": decision.law.key, "revision": decision.revision}


@require_safe
def decision_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    decision, grant = access.get_on_case_for(request, Decision, "decision", pk, Action.READ)
    # Emergency access reads; it writes nothing here, so it is offered no form.
    return _detail(request, decision, read_only=grant.ground == "emergency")


def _back(decision: Decision, anchor: str = "") -> HttpResponse:
    return redirect(reverse("decisions:decision", args=[decision.pk]) + anchor)


@require_POST
def edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save a draft against the revision it was read at; a save from elsewhere in between
    is shown beside this one, and what was typed stays in the form."""
    decision = _decision_for(request, pk, Action.UPDATE)
    form = _edit_form(decision, request.POST)
    if not form.is_valid():
        return _detail(request, decision, 400, form=form)
    try:
        services.decision_update(
            decision=decision, revision=revision_for(form, request.POST), **_form_data(form)
        )
    except Conflict as stale:
        conflict = conflict_context(
            stale,
            form,
            heading=_("Someone else saved this decision while you were writing."),
            reload=reverse("decisions:decision", args=[pk]),
        )
        return _detail(request, decision, 200, form=form, conflict=conflict)
    except ValidationError as error:
        if decision.is_signed or not hasattr(error, "error_dict"):
            messages.error(request, error.messages[0])
            return _back(decision)
        form.add_error(None, error)
        return _detail(request, decision, 400, form=form)
    messages.success(request, _("The draft is saved."))
    return _back(decision)


@require_http_methods(["GET", "HEAD", "POST"])
def sign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sign, once asked (lib/confirm.py): a GET is the question on its own page. A draft
    without grounds or appeal information comes back with what it lacks at its fields."""
    decision = _decision_for(request, pk, Action.SIGN)
    if request.method != "POST":
        return render(request, "confirm.html", {"confirm": _sign_confirmation(decision)})
    try:
        services.decision_sign(actor=request.user, decision=decision)
    except ValidationError as error:
        if decision.is_signed or not hasattr(error, "error_dict"):
            messages.error(request, error.messages[0])
            return _back(decision)
        form = _edit_form(decision, _as_posted(decision))
        form.is_valid()
        for field, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(field, problem)
        return _detail(request, decision, 400, form=form)
    messages.success(request, _("The decision is signed."))
    return _back(decision)


@require_POST
def discard(request: AuthedRequest, pk: int) -> HttpResponse:
    decision = _decision_for(request, pk, Action.UPDATE)
    person_pk = decision.case.person_id
    try:
        services.decision_discard(decision=decision)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(decision)
    messages.success(request, _("The draft is discarded."))
    return redirect("decisions:person", pk=person_pk)


@require_POST
def communicated(request: AuthedRequest, pk: int) -> HttpResponse:
    """When and how the client was told of the decision."""
    decision = _decision_for(request, pk, Action.UPDATE)
    form = CommunicatedForm(request.POST)
    if form.is_valid():
        try:
            services.decision_communicated(
                decision=decision,
                on=form.cleaned_data["communicated_on"],
                how=form.cleaned_data["communicated_how"],
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                messages.error(request, error.messages[0])
                return _back(decision)
            form.add_error(None, error)
        else:
            messages.success(request, _("It is recorded that the client was told."))
            return _back(decision, "#told")
    return _detail(request, decision, 400, communicated=form)


@require_POST
def delay(request: AuthedRequest, pk: int) -> HttpResponse:
    """Why a granted decision is not carried out yet, in words."""
    decision = _decision_for(request, pk, Action.UPDATE)
    form = DelayForm(request.POST)
    if not form.is_valid():
        return _detail(request, decision, 400, delay=form)
    with told(request, _("The reason is saved.")):
        services.decision_delay_reason(decision=decision, reason=form.cleaned_data["delay_reason"])
    return _back(decision, "#clock")


# -- the letter ---------------------------------------------------------------------------


def render_letter(decision: Decision) -> bytes:
    """The decision letter, in the client's own language, with how to appeal."""
    from weasyprint import HTML

    person = decision.case.person
    with translation.override(person.preferred_language):
        html = render_to_string("decisions/pdf.html", {"decision": decision, "person": person})
    return HTML(string=html).write_pdf()


@require_safe
def letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The signed decision as a letter to the client (PDF), audited as a print."""
    decision, grant = access.on_case_for(request, Decision, "decision", pk, Action.PRINT)
    if not decision.is_signed:
        access.refuse(
            request.user,
            "decision",
            pk,
            True,
            Action.PRINT,
            _("A draft has no letter: sign the decision first."),
        )
    case = decision.case
    access.record(
        request, Action.PRINT, grant=grant, person=case.person, case=case, detail={"decision": pk}
    )
    decision = Decision.objects.select_related(
        "case__person", "case__unit", "law", "decided_by", "replaces"
    ).get(pk=pk)
    response = HttpResponse(render_letter(decision), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="decision-{pk}.pdf"'
    return response


# -- a unit's leaders: the execution clock -------------------------------------------------


@require_safe
def waiting(request: AuthedRequest, pk: int) -> HttpResponse:
    """For the unit's team leaders: granted decisions not carried out within three months,
    with how long each has waited and why, and the quarterly report to IVO."""
    unit, grant = access.unit_for(request, pk)
    today = timezone.localdate()
    rows = list(
        queries.waiting([unit.pk], today)
        .filter(access.shown_to(request.user, "case__person"))
        .select_related("case__person", "law")
    )
    for row in rows:
        row.days = (today - row.clock_from).days  # type: ignore[attr-defined]
    access.record_list(request, "decisions_waiting", [d.case.person_id for d in rows], grant)
    year, quarter = queries.previous_quarter(today)
    return render(
        request,
        "decisions/waiting.html",
        {
            "unit": unit,
            "rows": rows,
            "quarter_form": QuarterForm(initial={"year": year, "quarter": quarter}),
        },
    )


@require_safe
def ivo(request: AuthedRequest, pk: int) -> HttpResponse:
    """The quarter's report to IVO for the unit (CSV): each granted decision not carried
    out within three months, and each carried out late in the quarter, with the client's
    pseudo-identity (never a name or a number), audited as an export that lists them."""
    unit, grant = access.unit_for(request, pk)
    form = QuarterForm(request.GET)
    if not form.is_valid():
        return render(request, "decisions/ivo.html", {"unit": unit, "form": form}, status=400)
    year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    shown = access.shown_to(request.user, "case__person")
    rows = queries.ivo_report([unit.pk], year, quarter, shown)
    access.record(
        request,
        Action.EXPORT,
        grant=grant,
        detail={"page": "ivo_report", "year": year, "quarter": quarter},
        listed=[d.case.person_id for d in rows],
    )
    header = [
        _("Pseudo-identity"),
        _("Unit"),
        _("Decided on"),
        _("Clock started"),
        _("Kind of help"),
        _("Law"),
        _("Decision"),
        _("Carried out on"),
        _("Days waited"),
        _("Reason for the delay"),
    ]
    body = [
        [
            queries.pseudo_identity(d.case.person),
            unit.name,
            d.decided_on.isoformat(),
            d.clock_from.isoformat(),  # type: ignore[attr-defined]
            d.get_kind_display(),
            d.law.reference,
            d.get_outcome_display(),
            d.carried_out_on.isoformat() if d.late else "",  # type: ignore[attr-defined, union-attr]
            d.days,  # type: ignore[attr-defined]
            d.delay_reason,
        ]
        for d in rows
    ]
    return csv_response(f"ivo-{unit.pk}-{year}-Q{quarter}.csv", header, body)
