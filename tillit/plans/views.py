"""Plans: the worker's pages (through get_person_for / get_case_for) and the client's
(client pages, through get_own_person). The goal and step forms save on their own via
htmx while the worker types, and as plain posts without it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Person
from tillit.lib.confirm import Confirmation
from tillit.lib.http import AuthedRequest, told
from tillit.lib.portal import client_page
from tillit.lib.revisions import Conflict, conflict_context, revision_for
from tillit.plans import services
from tillit.plans.forms import (
    ConsentForm,
    GoalForm,
    ParticipantForm,
    PlanForm,
    ResponseForm,
    ReviewForm,
    StepForm,
)
from tillit.plans.models import Goal, Participant, Plan, Step


def _plan_for(request: AuthedRequest, pk: int, action: str) -> Plan:
    return access.get_on_case_for(request, Plan, "plan", pk, action)[0]


def _goal_for(request: AuthedRequest, pk: int, action: str) -> Goal:
    return access.get_on_case_for(request, Goal, "goal", pk, action, case="plan__case")[0]


def _step_for(request: AuthedRequest, pk: int, action: str) -> Step:
    return access.get_on_case_for(request, Step, "step", pk, action, case="goal__plan__case")[0]


def _full(plan_pk: int) -> Plan:
    """A plan with everything its page shows, in a fixed number of queries."""
    return (
        Plan.objects.select_related("case__person", "case__unit", "signed_by", "replaces")
        .prefetch_related(
            Prefetch("goals", Goal.objects.prefetch_related("steps")),
            "participants",
            "reviews__author",
            "responses",
        )
        .get(pk=plan_pk)
    )


def goal_form(goal: Goal, data: dict | None = None, **kwargs) -> GoalForm:
    # Bound to the posted data only: a ModelForm would write the post into `goal`, and
    # the service compares the post with the row as loaded.
    return GoalForm(
        data,
        instance=goal if data is None else None,
        initial={"revision": goal.revision},
        auto_id=f"goal-{goal.pk}-%s",
        **kwargs,
    )


def step_form(step: Step, data: dict | None = None) -> StepForm:
    return StepForm(
        data,
        instance=step if data is None else None,
        initial={"revision": step.revision},
        auto_id=f"step-{step.pk}-%s",
    )


def _plan_context(plan: Plan, **override) -> dict:
    """The plan page. `override` puts a form with errors or a conflict in place of one."""
    goals = list(plan.goals.all())
    for goal in goals:
        goal.form = override.get(f"goal-{goal.pk}") or goal_form(goal)  # type: ignore[attr-defined]
        goal.new_step = override.get(f"new-step-{goal.pk}") or StepForm(  # type: ignore[attr-defined]
            auto_id=f"new-step-{goal.pk}-%s"
        )
        for step in goal.steps.all():
            step.form = override.get(f"step-{step.pk}") or step_form(step)  # type: ignore[attr-defined]
    return {
        "plan": plan,
        "person": plan.case.person,
        "goals": goals,
        "conflict": override.get("conflict"),
        "newer": Plan.objects.filter(replaces=plan).only("pk", "version").first(),
        "goal_new": override.get("goal_new") or GoalForm(auto_id="new-goal-%s"),
        "participant_form": override.get("participant") or ParticipantForm(),
        "review_form": override.get("review") or ReviewForm(),
        "sign": _sign_confirmation(plan),
    }


def _sign_confirmation(plan: Plan) -> Confirmation:
    return Confirmation(
        id="confirm-sign",
        question=_("Sign the plan with %(name)s?") % {"name": plan.case.person.full_name},
        consequence=_(
            "A signed plan cannot be changed. A change later is a new version, and the signed "
            "one is kept as it was."
        ),
        ask=_("Sign the plan"),
        yes=_("Yes, sign the plan"),
        action=reverse("plans:sign", args=[plan.pk]),
        back=reverse("plans:plan", args=[plan.pk]),
    )


# -- the worker's pages --------------------------------------------------------------------


def person_plans(request: AuthedRequest, pk: int) -> HttpResponse:
    """A client's plans, every version, and a new plan on one of their open cases."""
    action = Action.CREATE if request.method == "POST" else Action.READ
    granted = access.get_person_for(request, pk, action)
    open_cases = [c for c in granted.cases if c.is_open]
    form = PlanForm(request.POST or None, cases=open_cases)
    if request.method == "POST" and form.is_valid():
        plan = services.plan_create(
            actor=request.user,
            case=form.cleaned_data["case"],
            kind=form.cleaned_data["kind"],
            review_on=form.cleaned_data["review_on"],
        )
        messages.success(request, _("The plan is started as a draft."))
        return redirect("plans:plan", pk=plan.pk)
    plans = (
        Plan.objects.filter(case__in=granted.cases)
        .select_related("case__unit", "signed_by")
        .prefetch_related("responses")
    )
    return render(
        request,
        "plans/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "plans": plans,
            "form": form,
            "open_cases": open_cases,
        },
    )


@require_safe
def plan_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _plan_for(request, pk, Action.READ)
    return render(request, "plans/plan.html", _plan_context(_full(pk)))


def _back(plan: Plan, anchor: str = "") -> HttpResponse:
    return redirect(reverse("plans:plan", args=[plan.pk]) + anchor)


@require_POST
def goal_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, Action.UPDATE)
    form = GoalForm(request.POST, auto_id="new-goal-%s")
    if form.is_valid():
        try:
            goal = services.goal_add(
                plan=plan, text=form.cleaned_data["text"], why=form.cleaned_data["why"]
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return _back(plan)
        return _back(plan, f"#goal-{goal.pk}")
    return render(request, "plans/plan.html", _plan_context(_full(pk), goal_new=form), status=400)


def _heading(kind: str) -> str:
    if kind == "goal":
        return _("Someone else saved this goal while you were writing.")
    return _("Someone else saved this step while you were writing.")


def _edit(
    request: AuthedRequest, kind: str, obj: Goal | Step, plan: Plan, form, save
) -> HttpResponse:
    """Save a goal or a step, autosaved while the worker types or on Save (queued one
    after the other in the browser). A save over someone else's newer one is refused
    with both versions shown; the writer's own text stays in the form as they left it.

    Over htmx the answer swaps only the status line, the revision (after a save) and
    the conflict box, never the fields being typed in."""
    conflict = None
    errors = ""
    if form.is_valid():
        try:
            obj = save(form.cleaned_data, revision_for(form, request.POST))
        except Conflict as stale:
            conflict = conflict_context(
                stale,
                form,
                heading=_heading(kind),
                key=obj.pk,
                reload=reverse("plans:plan", args=[plan.pk]) + f"#{kind}-{obj.pk}",
            )
            conflict["kind"] = kind
        except ValidationError as error:
            if not request.htmx:
                messages.error(request, error.messages[0])
                return _back(plan)
            errors = error.messages[0]
        else:
            if not request.htmx:
                if kind == "goal":
                    messages.success(request, _("The goal is saved."))
                else:
                    messages.success(request, _("The step is saved."))
                return _back(plan, f"#{kind}-{obj.pk}")
    else:
        errors = " ".join(str(e) for field_errors in form.errors.values() for e in field_errors)
    if request.htmx:
        context = {"kind": kind, "obj": obj, "conflict": conflict, "errors": errors}
        return render(request, "plans/plan.html#saved", context)
    context = _plan_context(_full(plan.pk), **{f"{kind}-{obj.pk}": form, "conflict": conflict})
    return render(request, "plans/plan.html", context, status=200 if conflict else 400)


@require_POST
def goal_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = _goal_for(request, pk, Action.UPDATE)

    def save(data: dict, revision: int) -> Goal:
        return services.goal_update(
            goal=goal, revision=revision, text=data["text"], why=data["why"]
        )

    return _edit(request, "goal", goal, goal.plan, goal_form(goal, request.POST), save)


@require_POST
def step_add(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = _goal_for(request, pk, Action.UPDATE)
    form = StepForm(request.POST, auto_id=f"new-step-{goal.pk}-%s")
    if form.is_valid():
        data = form.cleaned_data
        try:
            step = services.step_add(
                goal=goal,
                text=data["text"],
                doer=data["doer"],
                doer_name=data["doer_name"],
                due_on=data["due_on"],
            )
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return _back(goal.plan)
        return _back(goal.plan, f"#step-{step.pk}")
    context = _plan_context(_full(goal.plan_id), **{f"new-step-{goal.pk}": form})
    return render(request, "plans/plan.html", context, status=400)


@require_POST
def step_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    step = _step_for(request, pk, Action.UPDATE)

    def save(data: dict, revision: int) -> Step:
        return services.step_update(
            step=step,
            revision=revision,
            text=data["text"],
            doer=data["doer"],
            doer_name=data["doer_name"],
            due_on=data["due_on"],
        )

    return _edit(request, "step", step, step.goal.plan, step_form(step, request.POST), save)


@require_POST
def goal_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    goal = _goal_for(request, pk, Action.UPDATE)
    with told(request, _("The goal is removed.")):
        services.goal_remove(goal=goal)
    return _back(goal.plan, "#goals-title")


@require_POST
def step_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    step = _step_for(request, pk, Action.UPDATE)
    with told(request, _("The step is removed.")):
        services.step_remove(step=step)
    return _back(step.goal.plan, f"#goal-{step.goal_id}")


def _participant_for(request: AuthedRequest, pk: int, action: str) -> Participant:
    return access.get_on_case_for(
        request, Participant, "participant", pk, action, case="plan__case"
    )[0]


@require_POST
def participant_consent(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client's consent to one participant, given or withdrawn."""
    participant = _participant_for(request, pk, Action.UPDATE)
    form = ConsentForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose yes or no, and a valid date."))
        return _back(participant.plan, "#participants")
    with told(request, _("The consent is saved.")):
        services.participant_consent(participant=participant, **form.cleaned_data)
    return _back(participant.plan, "#participants")


@require_POST
def participant_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, Action.UPDATE)
    form = ParticipantForm(request.POST)
    if form.is_valid():
        try:
            services.participant_add(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        return _back(plan, "#participants")
    return render(
        request, "plans/plan.html", _plan_context(_full(pk), participant=form), status=400
    )


@require_POST
def review_add(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _plan_for(request, pk, Action.UPDATE)
    form = ReviewForm(request.POST)
    if form.is_valid():
        services.review_add(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, _("The review is saved."))
        return _back(plan, "#reviews")
    return render(request, "plans/plan.html", _plan_context(_full(pk), review=form), status=400)


def _state_change(request: AuthedRequest, pk: int, action: str, change, done: str) -> HttpResponse:
    plan = _plan_for(request, pk, action)
    try:
        result = change(actor=request.user, plan=plan)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _back(plan)
    messages.success(request, done)
    return _back(result)


@require_POST
def plan_share(request: AuthedRequest, pk: int) -> HttpResponse:
    return _state_change(
        request, pk, Action.UPDATE, services.plan_share, _("The plan is shared with the client.")
    )


@require_http_methods(["GET", "HEAD", "POST"])
def plan_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Sign, once asked (lib/confirm.py): a GET is the question on its own page."""
    if request.method != "POST":
        plan = _plan_for(request, pk, Action.SIGN)
        return render(request, "confirm.html", {"confirm": _sign_confirmation(plan)})
    return _state_change(request, pk, Action.SIGN, services.plan_sign, _("The plan is signed."))


@require_POST
def plan_new_version(request: AuthedRequest, pk: int) -> HttpResponse:
    return _state_change(
        request,
        pk,
        Action.CORRECT,
        services.plan_new_version,
        _("A new version is started as a draft. The signed one is kept as it was."),
    )


def render_pdf(plan: Plan) -> bytes:
    """The plan on paper, in the client's own language."""
    from weasyprint import HTML

    person: Person = plan.case.person
    with translation.override(person.preferred_language):
        html = render_to_string("plans/pdf.html", {"plan": plan, "person": person})
    return HTML(string=html).write_pdf()


def _pdf_response(plan: Plan) -> HttpResponse:
    response = HttpResponse(render_pdf(plan), content_type="application/pdf")
    name = f"plan-{plan.pk}-v{plan.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@require_safe
def plan_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    _plan_for(request, pk, Action.PRINT)
    return _pdf_response(_full(pk))


# -- the client's pages --------------------------------------------------------------------


def _own_plan(request: AuthedRequest, pk: int, action: str = Action.READ) -> Plan:
    """The client's own plan `pk`, if it has been shared with them; never a draft, never
    anyone else's (404, as if it did not exist)."""
    person, grant = access.own_person(request, action)
    plan = Plan.objects.for_client().filter(pk=pk, case__person=person).first()
    if plan is None:
        access.refuse(request.user, "plan", pk, False, action)
    assert plan is not None
    access.record(request, action, grant=grant, person=person)
    return _full(plan.pk)


@client_page
@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """My plans: those my contact person has shared with me."""
    person = access.get_own_person(request)
    newer = Plan.objects.for_client().filter(replaces=OuterRef("pk"))
    plans = (
        Plan.objects.for_client()
        .filter(case__person=person)
        .annotate(replaced=Exists(newer))
        .select_related("signed_by")
        .prefetch_related("responses")
    )
    return render(request, "plans/mine.html", {"person": person, "plans": plans})


@client_page
@require_safe
def own(request: AuthedRequest, pk: int) -> HttpResponse:
    plan = _own_plan(request, pk)
    newer = Plan.objects.for_client().filter(replaces=plan).first()
    context = {"plan": plan, "form": ResponseForm(), "newer": newer}
    return render(request, "plans/own.html", context)


@client_page
@require_POST
def respond(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client accepts the signed plan, or does not, in their own words."""
    plan = _own_plan(request, pk, Action.CREATE)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            services.plan_respond(plan=plan, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Thank you. Your answer is saved with the plan."))
            return redirect("plans:own", pk=plan.pk)
    return render(request, "plans/own.html", {"plan": plan, "form": form}, status=400)


@client_page
@require_safe
def own_pdf(request: AuthedRequest, pk: int) -> HttpResponse:
    return _pdf_response(_own_plan(request, pk, Action.PRINT))
