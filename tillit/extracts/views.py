"""Pages of pseudonymised extracts: evaluators order and download, team leaders and
managers approve or refuse. No page shows a client: orders, approvals and counts only, so
no read is recorded; each order, decision and download is an access log row."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.extracts import codebook, services
from tillit.extracts.forms import OrderForm, RefuseForm
from tillit.extracts.models import ACTIVE, Order, OrderState, Run
from tillit.extracts.produce import path_of
from tillit.lib.http import AuthedRequest, told


def _open_to(request: AuthedRequest) -> None:
    """Evaluators and leaders; anyone else is refused (403)."""
    user = request.user
    if not (services.is_evaluator(user) or user.is_leader):
        raise PermissionDenied


def _order_for(request: AuthedRequest, pk: int) -> Order:
    """An order the user ordered or approves for; any other is not there for them."""
    order = services.orders_for(request.user).filter(pk=pk).first()
    if order is None:
        raise Http404
    return order


def _run_for(request: AuthedRequest, pk: int) -> Run:
    """A run of the user's own order: only the evaluator who ordered it sees its file."""
    run = Run.objects.select_related("order").filter(pk=pk, order__ordered_by=request.user).first()
    if run is None:
        raise Http404
    return run


@require_safe
def orders(request: AuthedRequest) -> HttpResponse:
    """The evaluator's own orders; the orders waiting for the leader's approval, and those
    already decided, of the units they lead."""
    _open_to(request)
    user = request.user
    visible = list(services.orders_for(user))
    mine = [o for o in visible if o.ordered_by_id == user.pk]
    waiting = [o for o in visible if o.ordered_by_id != user.pk and services.may_decide(user, o)]
    others = [o for o in visible if o not in mine and o not in waiting]
    return render(
        request,
        "extracts/orders.html",
        {
            "mine": mine,
            "waiting": waiting,
            "others": others,
            "evaluator": services.is_evaluator(user),
        },
    )


@require_http_methods(["GET", "POST"])
def new(request: AuthedRequest) -> HttpResponse:
    """An evaluator orders an extract for a study."""
    if not services.is_evaluator(request.user):
        raise PermissionDenied
    units = services.evaluator_units(request.user)
    form = OrderForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            order, made = services.order_create(
                actor=request.user,
                study=data["study"],
                purpose=data["purpose"],
                units=list(data["units"]),
                period_from=data["period_from"],
                period_to=data["period_to"],
                groups=data["groups"],
                language=translation.get_language() or "sv",
                submission=data["submission"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if made:
                access.record(
                    request,
                    Action.EXTRACT_ORDER,
                    detail={
                        "extract": order.pk,
                        "study": order.study,
                        "units": sorted(u.pk for u in data["units"]),
                        "groups": order.groups,
                    },
                )
                messages.success(
                    request, _("The extract is ordered: the leaders of its units decide on it.")
                )
            return redirect("extracts:order", pk=order.pk)
    return render(
        request,
        "extracts/new.html",
        {"form": form, "groups": codebook.GROUPS},
        status=400 if form.is_bound else 200,
    )


@require_safe
def order(request: AuthedRequest, pk: int) -> HttpResponse:
    _open_to(request)
    found = _order_for(request, pk)
    return _order_page(request, found)


def _order_page(
    request: AuthedRequest, found: Order, refuse: RefuseForm | None = None
) -> HttpResponse:
    user = request.user
    own = found.ordered_by_id == user.pk
    runs = list(found.runs.all()[:5]) if own else []
    covered = services.covered(found)
    return render(
        request,
        "extracts/order.html",
        {
            "order": found,
            "own": own,
            "units": [(unit, unit.pk in covered) for unit in found.units.all()],
            "groups": [g for g in codebook.GROUPS if g.key in found.groups],
            "may_decide": services.may_decide(user, found),
            "refuse": refuse or RefuseForm(),
            "runs": runs,
            "active": next((r for r in runs if r.state in ACTIVE and not r.stalled()), None),
            "now": timezone.now(),
        },
        status=400 if refuse is not None else 200,
    )


@require_POST
def approve(request: AuthedRequest, pk: int) -> HttpResponse:
    _open_to(request)
    found = _order_for(request, pk)
    before = services.covered(found)
    try:
        decided = services.order_approve(actor=request.user, order=found)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("extracts:order", pk=found.pk)
    whole = decided.state == OrderState.APPROVED
    access.record(
        request,
        Action.EXTRACT_DECISION,
        detail={
            "extract": found.pk,
            "decision": "approved" if whole else "approved_in_part",
            "units": sorted(services.covered(decided) - before),
        },
    )
    messages.success(
        request,
        _("The extract is approved.")
        if whole
        else _("Your approval is recorded; the leaders of the other units decide too."),
    )
    return redirect("extracts:order", pk=found.pk)


@require_POST
def refuse(request: AuthedRequest, pk: int) -> HttpResponse:
    _open_to(request)
    found = _order_for(request, pk)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _order_page(request, found, form)
    with told(request, _("The extract is refused.")):
        services.order_refuse(actor=request.user, order=found, reason=form.cleaned_data["reason"])
        access.record(
            request, Action.EXTRACT_DECISION, detail={"extract": found.pk, "decision": "refused"}
        )
    return redirect("extracts:order", pk=found.pk)


@require_POST
def produce(request: AuthedRequest, pk: int) -> HttpResponse:
    """Start producing the evaluator's approved extract, in the background."""
    _open_to(request)
    found = _order_for(request, pk)
    if found.ordered_by_id != request.user.pk:
        raise Http404
    try:
        run = services.run_start(actor=request.user, order=found)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("extracts:order", pk=found.pk)
    services.run_in_background(run)
    return redirect("extracts:order", pk=found.pk)


@require_safe
def status(request: AuthedRequest, pk: int) -> HttpResponse:
    """A run's progress, polled by the order page while it runs."""
    run = _run_for(request, pk)
    return render(
        request, "extracts/order.html#run", {"run": run, "order": run.order, "now": timezone.now()}
    )


@require_POST
def download(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """The zip, once, to the evaluator who ordered it; then it is removed from the disk."""
    run = _run_for(request, pk)
    try:
        run, handle = services.run_hand_over(actor=request.user, run=run, path_of=path_of)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("extracts:order", pk=run.order_id)
    access.record(
        request,
        Action.EXPORT,
        detail={"page": "extract", "extract": run.order_id, "run": run.pk},
    )
    name = f"{slugify(run.order.study) or 'extract'}-{run.order_id}-{run.pk}.zip"
    return FileResponse(handle, as_attachment=True, filename=name, content_type="application/zip")


@require_safe
def book(request: AuthedRequest) -> HttpResponse:
    """The codebook: every table and column an extract can hold."""
    _open_to(request)
    return render(request, "extracts/codebook.html", {"book": codebook.as_dict()})
