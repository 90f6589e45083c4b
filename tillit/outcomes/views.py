"""The interventions of a client's cases: list, start, end. Through the access helpers."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
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
from tillit.outcomes.models import Intervention, VisitLink


@require_safe
def person(request: AuthedRequest, pk: int) -> HttpResponse:
    granted = access.get_person_for(request, pk, Action.READ)
    return _render(request, granted)


def _render(request, granted, bound: InterventionForm | None = None) -> HttpResponse:
    interventions = Intervention.objects.filter(case__in=granted.cases).select_related(
        "case__unit", "decision", "provider", "method"
    )
    forms = [
        (case, bound if bound is not None and bound.case.pk == case.pk else None)
        for case in granted.cases
        if case.is_open
    ]
    return render(
        request,
        "outcomes/person.html",
        {
            "person": granted.person,
            "granted": granted,
            "grant": granted.grant,
            "interventions": interventions,
            "forms": [(case, form or InterventionForm(case=case)) for case, form in forms],
            "today": timezone.localdate(),
            # Visits to services without needs assessment linked with the client's consent.
            "visits": VisitLink.objects.filter(person=granted.person)
            .select_related("visit__service__unit", "consent_recorded_by")
            .order_by("-visit__day", "-pk"),
        },
        status=400 if bound is not None else 200,
    )


@require_POST
def add(request: AuthedRequest, pk: int) -> HttpResponse:
    case, grant = access.get_case_for(request, pk, Action.CREATE)
    form = InterventionForm(request.POST, case=case)
    if form.is_valid():
        try:
            services.intervention_start(actor=request.user, case=case, **form.cleaned_data)
        except ValidationError as error:  # the decision replaced since the form was read
            for name, problems in error.message_dict.items():
                form.add_error(name if name in form.fields else None, problems)
        else:
            messages.success(request, _("The intervention is recorded."))
            return redirect("outcomes:person", pk=case.person_id)
    return _render(request, access.PersonAccess(case.person, grant, [case]), form)


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
