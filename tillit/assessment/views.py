"""The dialogical assessment for staff, and the client's part of it in the portal.

Staff views start with the access helper for the assessment's case; client views with
`access.get_own_person`, and show only shared or finished assessments of that person."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.assessment import services
from tillit.assessment.forms import (
    INSTRUMENT_DOMAINS,
    AreaForm,
    ClientAreaForm,
    ClientViewForm,
    InstrumentForm,
    OwnViewForm,
)
from tillit.assessment.models import AreaAnswer, Assessment, Status
from tillit.audit.models import Action
from tillit.clients import access
from tillit.lib.confirm import Confirmation
from tillit.lib.http import AuthedRequest, told
from tillit.lib.portal import client_page
from tillit.lib.revisions import Conflict, conflict_context, revision_for


def _assessment_for(request: AuthedRequest, pk: int, action: str) -> Assessment:
    return access.get_on_case_for(request, Assessment, "assessment", pk, action)[0]


def _answers(assessment: Assessment) -> list[AreaAnswer]:
    return list(assessment.answers.select_related("area"))


@require_safe
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    """A client's assessments, case by case, and a start for a new one."""
    granted = access.get_person_for(request, pk, Action.READ)
    assessments = Assessment.objects.filter(case__in=granted.cases).select_related("case__unit")
    return render(
        request,
        "assessment/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "assessments": assessments,
            "open_cases": [c for c in granted.cases if c.is_open],
            "grant": granted.grant,
        },
    )


@require_POST
def start(request: AuthedRequest, pk: int) -> HttpResponse:
    case, _grant = access.get_case_for(request, pk, Action.CREATE)
    assessment = services.assessment_start(actor=request.user, case=case)
    return redirect("assessment:detail", pk=assessment.pk)


@require_safe
def detail(request: AuthedRequest, pk: int, **extra) -> HttpResponse:
    """The assessment, area by area, side by side; drafts save themselves as one writes."""
    assessment = _assessment_for(request, pk, Action.READ)
    return _render_detail(request, assessment, **extra)


def _render_detail(request: AuthedRequest, assessment: Assessment, **extra) -> HttpResponse:
    answers = _answers(assessment)
    bound = extra.get("bound")
    for answer in answers:
        mine = bound is not None and bound.instance.pk == answer.pk
        answer.form = bound if mine else AreaForm(instance=answer)
    scores = assessment.instrument_scores
    return render(
        request,
        "assessment/detail.html",
        {
            "assessment": assessment,
            "person": assessment.case.person,
            "answers": answers,
            "view_form": extra.pop("view_form", None)
            or ClientViewForm(
                initial={
                    "view": assessment.client_view,
                    "statement": assessment.client_statement,
                    "revision": assessment.view_revision,
                }
            ),
            "instrument_form": extra.pop("instrument_form", None)
            or InstrumentForm(
                initial={
                    "date": assessment.instrument_date,
                    "revision": assessment.instrument_revision,
                    **scores,
                }
            ),
            "instrument_scores": [
                (label, scores[key]) for key, label in INSTRUMENT_DOMAINS if key in scores
            ],
            "finish": _finish_confirmation(assessment, str(assessment.view_revision)),
            **extra,
        },
    )


def _save_area(request: AuthedRequest, answer: AreaAnswer, form: AreaForm, by_client: bool):
    """Validate and save one area; returns (answer, conflict, error), the conflict as
    conflict.html shows it."""
    if not form.is_valid():
        return answer, None, form.errors.as_text()
    data = {k: v for k, v in form.cleaned_data.items() if k != "revision"}
    try:
        saved = services.area_save(
            answer=answer,
            revision=revision_for(form, request.POST),
            data=data,
            by_client=by_client,
        )
    except Conflict as stale:
        page = reverse(
            "assessment:mine" if by_client else "assessment:detail",
            args=None if by_client else [answer.assessment_id],
        )
        conflict = conflict_context(
            stale,
            form,
            heading=_("Someone else saved this area while you were writing."),
            key=answer.pk,
            reload=f"{page}#area-{answer.pk}",
        )
        return answer, conflict, ""
    except ValidationError as error:
        return answer, None, error.messages[0]
    return saved, None, ""


@require_POST
def area_save(request: AuthedRequest, pk: int) -> HttpResponse:
    answer = AreaAnswer.objects.select_related("assessment", "area").filter(pk=pk).first()
    if answer is None:
        access.refuse(request.user, "answer", pk, False, Action.UPDATE)
    assert answer is not None
    answer.assessment = _assessment_for(request, answer.assessment_id, Action.UPDATE)
    form = AreaForm(request.POST, instance=AreaAnswer.objects.get(pk=pk))
    return _after_save(request, answer, form, by_client=False)


def _after_save(request: AuthedRequest, answer: AreaAnswer, form: AreaForm, by_client: bool):
    saved, conflict, error = _save_area(request, answer, form, by_client)
    context = {"answer": saved, "conflict": conflict, "error": error}
    if request.htmx:
        # The new revision goes back into the form, so the next save (an autosave or
        # Save, queued one after the other) is made on it. A conflict leaves the form on
        # the revision its text was written at, until the writer chooses.
        return render(request, "assessment/area.html#saved", context)
    if conflict or error:
        # Keep what this writer wrote, as posted; show the saved text beside it.
        context["bound"] = form
        if by_client:
            return _render_mine(request, answer.assessment.case.person_id, **context)
        return _render_detail(request, answer.assessment, **context)
    messages.success(request, _("Saved."))
    if by_client:
        return redirect(reverse("assessment:mine") + f"#area-{saved.pk}")
    return redirect(reverse("assessment:detail", args=[saved.assessment_id]) + f"#area-{saved.pk}")


@require_POST
def share(request: AuthedRequest, pk: int) -> HttpResponse:
    assessment = _assessment_for(request, pk, Action.UPDATE)
    with told(request, _("The client can now read and write their parts.")):
        services.assessment_share(assessment=assessment)
    return redirect("assessment:detail", pk=pk)


@require_POST
def view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The worker records the client's agreement or dissent, in the client's words."""
    assessment = _assessment_for(request, pk, Action.UPDATE)
    return _record_view(request, assessment, reverse("assessment:detail", args=[pk]))


def _record_view(
    request: AuthedRequest, assessment: Assessment, back: str, own: bool = False
) -> HttpResponse:
    form = (OwnViewForm if own else ClientViewForm)(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the client agrees."))
        return redirect(back + "#client-view")
    try:
        services.client_view_record(
            assessment=assessment,
            view=form.cleaned_data["view"],
            statement=form.cleaned_data["statement"],
            revision=revision_for(form, request.POST),
        )
    except Conflict as stale:
        # Someone recorded the view since this writer read it: both side by side.
        saved = stale.saved
        conflict = conflict_context(
            stale,
            form,
            {"view": saved.client_view, "statement": saved.client_statement},  # type: ignore[attr-defined]
            heading=_("Someone else saved the client's view while you were writing.")
            if not own
            else "",
            key="view",
            reload=back + "#client-view",
        )
        if own:
            conflict["revision_id"] = f"view-revision-{assessment.pk}"
            return _render_mine(
                request,
                assessment.case.person_id,
                view_form=form,
                view_of=assessment.pk,
                conflict=conflict,
            )
        return _render_detail(request, assessment, view_form=form, conflict=conflict)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Saved."))
    return redirect(back + "#client-view")


def _finish_confirmation(assessment: Assessment, view_revision: str) -> Confirmation:
    return Confirmation(
        id="confirm-finish",
        question=_("Finish and sign the assessment with %(name)s?")
        % {"name": assessment.case.person.full_name},
        consequence=_("After signing, the assessment cannot be changed."),
        ask=_("Finish and sign"),
        yes=_("Yes, finish and sign"),
        action=reverse("assessment:finish", args=[assessment.pk]),
        back=reverse("assessment:detail", args=[assessment.pk]) + "#client-view",
        hidden={"view_revision": view_revision},  # the client's view as it was read
    )


@require_http_methods(["GET", "HEAD", "POST"])
def finish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Finish and sign, once asked (lib/confirm.py): a GET is the question on its own page."""
    assessment = _assessment_for(request, pk, Action.SIGN)
    read = (request.POST if request.method == "POST" else request.GET).get("view_revision", "")
    if request.method != "POST":
        confirm = _finish_confirmation(assessment, read if read.isdigit() else "")
        return render(request, "confirm.html", {"confirm": confirm})
    with told(request, _("The assessment is finished and signed.")):
        services.assessment_finish(
            actor=request.user,
            assessment=assessment,
            view_revision=int(read) if read.isdigit() else None,
        )
    return redirect("assessment:detail", pk=pk)


@require_POST
def instrument(request: AuthedRequest, pk: int) -> HttpResponse:
    """A structured instrument's date and composite scores, beside the dialogue."""
    assessment = _assessment_for(request, pk, Action.UPDATE)
    form = InstrumentForm(request.POST)
    back = reverse("assessment:detail", args=[pk]) + "#instrument"
    if not form.is_valid():
        return _render_detail(request, assessment, instrument_form=form)
    try:
        services.instrument_record(
            assessment=assessment,
            date=form.cleaned_data["date"],
            scores=form.scores(),
            revision=revision_for(form, request.POST),
        )
    except Conflict as stale:
        saved = stale.saved
        stored = {"date": saved.instrument_date, **saved.instrument_scores}  # type: ignore[attr-defined]
        conflict = conflict_context(
            stale,
            form,
            {key: stored.get(key) for key in form.fields if key != "revision"},
            heading=_("Someone else saved the scores while you were writing."),
            key="instrument",
            reload=back,
        )
        return _render_detail(request, assessment, instrument_form=form, conflict=conflict)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Saved."))
    return redirect(back)


# -- the client's part, in the portal ---------------------------------------------------


@client_page
@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """My assessments: what is shared with me, where I write my own account."""
    person = access.get_own_person(request)
    return _render_mine(request, person.pk)


def _render_mine(request: AuthedRequest, person_id: int, **extra) -> HttpResponse:
    assessments = list(
        Assessment.objects.filter(case__person_id=person_id)
        .exclude(status=Status.DRAFT)
        .prefetch_related("answers__area")
    )
    for assessment in assessments:
        if extra.get("view_of") == assessment.pk:
            assessment.view_form = extra["view_form"]  # type: ignore[attr-defined]
        else:
            assessment.view_form = OwnViewForm(  # type: ignore[attr-defined]
                initial={
                    "view": assessment.client_view,
                    "statement": assessment.client_statement,
                    "revision": assessment.view_revision,
                }
            )
        for answer in assessment.answers.all():
            bound = extra.get("bound")
            if bound is not None and bound.instance.pk == answer.pk:
                answer.form = bound
            else:
                answer.form = ClientAreaForm(instance=answer)
    return render(request, "assessment/portal.html", {"assessments": assessments, **extra})


def _own_answer(request: AuthedRequest, pk: int, action: str) -> AreaAnswer:
    person, grant = access.own_person(request, action)
    answer = (
        AreaAnswer.objects.select_related("assessment", "area")
        .filter(pk=pk, assessment__case__person=person)
        .exclude(assessment__status=Status.DRAFT)
        .first()
    )
    if answer is None:
        access.refuse(request.user, "answer", pk, False, action)
    assert answer is not None
    access.record(request, action, grant=grant, person=person)
    return answer


@client_page
@require_POST
def client_area_save(request: AuthedRequest, pk: int) -> HttpResponse:
    answer = _own_answer(request, pk, Action.CREATE)
    form = ClientAreaForm(request.POST, instance=AreaAnswer.objects.get(pk=pk))
    return _after_save(request, answer, form, by_client=True)


@client_page
@require_POST
def client_view(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client says whether they agree, or what they do not agree with."""
    person, grant = access.own_person(request, Action.CREATE)
    assessment = Assessment.objects.filter(pk=pk, case__person=person, status=Status.SHARED).first()
    if assessment is None:
        access.refuse(request.user, "assessment", pk, False, Action.CREATE)
    assert assessment is not None
    access.record(request, Action.CREATE, grant=grant, person=person)
    return _record_view(request, assessment, reverse("assessment:mine"), own=True)
