"""The interventions of a client's cases: list, start, end. Through the access helpers."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.lib.http import AuthedRequest, told
from tillit.outcomes import services
from tillit.outcomes.forms import EndForm, InterventionForm
from tillit.outcomes.models import Intervention


@require_safe
def person(request: AuthedRequest, pk: int, form: InterventionForm | None = None) -> HttpResponse:
    granted = access.get_person_for(request, pk, Action.READ)
    return _render(request, granted, form)


def _render(request, granted, form=None) -> HttpResponse:
    interventions = Intervention.objects.filter(case__in=granted.cases).select_related("case__unit")
    return render(
        request,
        "outcomes/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "grant": granted.grant,
            "interventions": interventions,
            "open_cases": [c for c in granted.cases if c.is_open],
            "form": form or InterventionForm(),
            "today": timezone.localdate(),
        },
    )


@require_POST
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    case, _grant = access.get_case_for(request, pk, Action.CREATE)
    form = InterventionForm(request.POST)
    if form.is_valid():
        services.intervention_start(actor=request.user, case=case, **form.cleaned_data)
        messages.success(request, _("The intervention is recorded."))
        return redirect("outcomes:person", pk=case.person_id)
    granted = access.PersonAccess(case.person, _grant, [case])
    return _render(request, granted, form)


@require_POST
def end(request: AuthedRequest, pk: int) -> HttpResponse:
    intervention, _grant = access.get_on_case_for(
        request, Intervention, "intervention", pk, Action.UPDATE
    )
    case = intervention.case
    form = EndForm(request.POST)
    if form.is_valid():
        with told(request, _("The intervention is ended.")):
            services.intervention_end(intervention=intervention, on=form.cleaned_data["ended_on"])
    else:
        messages.error(request, _("Give an end date on or after the start."))
    return redirect("outcomes:person", pk=case.person_id)
