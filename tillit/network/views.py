from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.lib.http import AuthedRequest, told
from tillit.lib.revisions import Conflict, conflict_context, revision_for
from tillit.network import services
from tillit.network.ecomap import layout
from tillit.network.forms import (
    ConferenceForm,
    ConsentForm,
    CoordinatorForm,
    DayForm,
    DecisionForm,
    EndForm,
    FollowUpForm,
    HoldForm,
    InviteForm,
    MeetingForm,
    MemberAddForm,
    MemberForm,
    MoveForm,
    OutcomeForm,
    PrepareForm,
    StepForm,
)
from tillit.network.models import (
    Circle,
    Consent,
    FamilyConference,
    Meeting,
    NetworkMember,
    Purpose,
    Stage,
)
from tillit.network.queries import members_on
from tillit.org.models import Membership, User


def _member_for(
    request: AuthedRequest, pk: int, action: str
) -> tuple[NetworkMember, access.PersonAccess]:
    """A network member is the client's data: the policy is the client's."""
    member = NetworkMember.objects.filter(pk=pk).first()
    if member is None:
        access.refuse(request.user, "member", pk, False, action)
    assert member is not None
    granted = access.get_person_for(request, member.person_id, action)
    member.person = granted.person
    return member, granted


def _conference_for(request: AuthedRequest, pk: int, action: str) -> FamilyConference:
    return access.get_on_case_for(request, FamilyConference, "conference", pk, action)[0]


def _meeting_for(request: AuthedRequest, pk: int, action: str) -> Meeting:
    return access.get_on_case_for(request, Meeting, "meeting", pk, action)[0]


# -- the map --------------------------------------------------------------------------------


def _board(granted: access.PersonAccess, day, add_form=None) -> dict:
    person = granted.person
    members = members_on(person.pk, day)
    today = timezone.localdate()
    return {
        "person": person,
        "granted": granted,
        "grant": granted.grant,
        "members": members,
        "ecomap": SimpleLazyObject(lambda: layout(members)),
        "day": day,
        "is_today": day == today,
        "circles": Circle.choices,
        "add_form": add_form or MemberAddForm(),
        "invite_purpose": Purpose.INVITE,
    }


@require_safe
def network_map(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client's network map (ecomap), today or as it was on an earlier date."""
    granted = access.get_person_for(request, pk, Action.READ)
    today = timezone.localdate()
    day_form = DayForm(request.GET or None)
    day = today
    if day_form.is_valid() and day_form.cleaned_data["on"]:
        day = min(day_form.cleaned_data["on"], today)
    context = _board(granted, day)
    cases = granted.cases
    context |= {
        "day_form": day_form,
        "cases": [c for c in cases if c.is_open],
        "conferences": list(
            FamilyConference.objects.filter(case__in=cases).select_related("case__unit")
        ),
        "meetings": list(Meeting.objects.filter(case__in=cases).select_related("case__unit")),
    }
    if request.htmx:
        return render(request, "network/map.html#board", context)
    return render(request, "network/map.html", context)


def _after_change(request: AuthedRequest, granted: access.PersonAccess, **extra) -> HttpResponse:
    if request.htmx:
        context = _board(granted, timezone.localdate(), extra.get("add_form"))
        context["status"] = extra.get("status", "")
        return render(request, "network/map.html#board", context)
    if extra.get("status"):
        messages.success(request, extra["status"])
    return redirect("network:map", pk=granted.person.pk)


@require_POST
def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    """Add a person to the map (htmx on the map, or a plain post)."""
    granted = access.get_person_for(request, pk, Action.CREATE)
    form = MemberAddForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        circle = data.pop("circle")
        try:
            member = services.member_add(
                actor=request.user, person=granted.person, circle=circle, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            status = _("%(name)s is added to the map.") % {"name": member.name}
            return _after_change(request, granted, status=status)
    if request.htmx:
        context = _board(granted, timezone.localdate(), form)
        return render(request, "network/map.html#board", context)
    for problems in form.errors.values():
        messages.error(request, str(problems[0]))
    return redirect("network:map", pk=pk)


@require_POST
def member_move(request: AuthedRequest, pk: int) -> HttpResponse:
    """Move a member to another circle in one click."""
    member, granted = _member_for(request, pk, Action.UPDATE)
    form = MoveForm(request.POST)
    status = ""
    if form.is_valid():
        try:
            services.member_move(member=member, circle=form.cleaned_data["circle"])
        except ValidationError as error:
            status = error.messages[0]
        else:
            status = _("%(name)s is now in the %(circle)s.") % {
                "name": member.name,
                "circle": Circle(form.cleaned_data["circle"]).label.lower(),
            }
    else:
        status = _("Choose the inner, middle or outer circle.")
    return _after_change(request, granted, status=status)


def member_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """One member: what the client says about them, consents, and taking them off the map."""
    action = Action.UPDATE if request.method == "POST" else Action.READ
    member, _granted = _member_for(request, pk, action)
    # A copy: validating the post writes it into the form's instance, and the save is
    # made against the member as read (tillit/lib/revisions.py).
    form = MemberForm(
        request.POST or None, instance=copy.copy(member), initial={"revision": member.revision}
    )
    conflict = None
    if request.method == "POST" and member.is_current and form.is_valid():
        values = {name: form.cleaned_data[name] for name in services.MEMBER_FIELDS}
        try:
            services.member_update(
                member=member, revision=revision_for(form, request.POST), **values
            )
        except Conflict as stale:
            conflict = conflict_context(
                stale,
                form,
                heading=_("Someone else saved this person while you were writing."),
                reload=reverse("network:member", args=[pk]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The changes are saved."))
            return redirect("network:member", pk=pk)
    today = timezone.localdate()
    return render(
        request,
        "network/member.html",
        {
            "member": member,
            "person": member.person,
            "form": form,
            "consents": list(member.consents.select_related("recorded_by", "withdrawn_by")),
            "placements": list(member.placements.all()),
            "invitations": list(
                member.invitations.select_related("conference", "meeting").order_by("-id")
            ),
            "consent_form": ConsentForm(initial={"given_on": today, "purpose": Purpose.INVITE}),
            "end_form": EndForm(),
            "today": today,
            "conflict": conflict,
        },
    )


@require_POST
def member_end(request: AuthedRequest, pk: int) -> HttpResponse:
    member, _granted = _member_for(request, pk, Action.UPDATE)
    form = EndForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the person is taken off the map."))
        return redirect("network:member", pk=pk)
    try:
        services.member_end(actor=request.user, member=member, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("network:member", pk=pk)
    messages.success(request, _("%(name)s is taken off the map.") % {"name": member.name})
    return redirect("network:map", pk=member.person_id)


@require_POST
def consent_give(request: AuthedRequest, pk: int) -> HttpResponse:
    member, _granted = _member_for(request, pk, Action.CREATE)
    form = ConsentForm(request.POST)
    if form.is_valid():
        with told(request, _("The consent is recorded.")):
            services.consent_give(
                actor=request.user,
                member=member,
                purpose=form.cleaned_data["purpose"],
                on=form.cleaned_data["given_on"],
            )
    else:
        messages.error(request, _("Choose a purpose and the date the consent was given."))
    return redirect("network:member", pk=pk)


@require_POST
def consent_withdraw(request: AuthedRequest, pk: int) -> HttpResponse:
    consent = Consent.objects.filter(pk=pk).select_related("member").first()
    if consent is None:
        access.refuse(request.user, "consent", pk, False, Action.UPDATE)
    assert consent is not None
    access.get_person_for(request, consent.member.person_id, Action.UPDATE)
    try:
        marked = services.consent_withdraw(actor=request.user, consent=consent)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The consent is withdrawn."))
        if marked:
            text = ngettext(
                "%(n)s invitation is marked: consent withdrawn.",
                "%(n)s invitations are marked: consent withdrawn.",
                len(marked),
            )
            messages.warning(request, text % {"n": len(marked)})
    return redirect("network:member", pk=consent.member_id)


# -- family group conferences --------------------------------------------------------------


def conference_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Request a family group conference on a case."""
    action = Action.CREATE if request.method == "POST" else Action.READ
    case, _grant = access.get_case_for(request, pk, action)
    form = ConferenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            conference = services.conference_request(
                actor=request.user, case=case, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The family group conference is requested."))
            return redirect("network:conference", pk=conference.pk)
    return render(request, "network/conference_new.html", {"form": form, "case": case})


def _staff_of(unit_id: int):
    return User.objects.filter(
        pk__in=Membership.objects.filter(unit_id=unit_id).values("user_id")
    ).order_by("first_name", "last_name")


def _current_members(person_id: int):
    return NetworkMember.objects.filter(person_id=person_id, ended_on__isnull=True)


CONFERENCE_STEPS = {
    "coordinator": CoordinatorForm,
    "prepare": PrepareForm,
    "invite": InviteForm,
    "hold": HoldForm,
    "step": StepForm,
    "decide": DecisionForm,
    "outcome": OutcomeForm,
    "follow_up": FollowUpForm,
}


def _conference_forms(conference: FamilyConference, data=None, step: str = "") -> dict:
    """Every stage's form, each with its own prefix so that ids stay unique on the page;
    the posted one (`step`) bound to the data."""
    today = timezone.localdate()
    members = _current_members(conference.case.person_id)
    extra = {
        "coordinator": {"staff_queryset": _staff_of(conference.case.unit_id)},
        "invite": {"members": members},
        "step": {"members": members},
        "outcome": {"steps": conference.steps.all()},
    }
    initial = {
        "coordinator": {
            "name": conference.coordinator_name,
            "staff": conference.coordinator_staff_id,
            "on": conference.coordinator_on or today,
        },
        "prepare": {"professionals": conference.professionals, "revision": conference.revision},
        "hold": {
            "held_on": conference.held_on or today,
            "information": conference.information,
            "private_time": conference.private_time,
            "plan_summary": conference.plan_summary,
            "revision": conference.revision,
        },
        "step": {"owner_kind": "member"},
        "follow_up": {"held_on": today},
    }
    return {
        name: form_class(
            data if name == step else None,
            prefix=name,
            initial=initial.get(name),
            **extra.get(name, {}),
        )
        for name, form_class in CONFERENCE_STEPS.items()
    }


def _conference_step(request: AuthedRequest, conference: FamilyConference, step: str, form) -> None:
    data = form.cleaned_data
    if step == "coordinator":
        services.conference_appoint(
            conference=conference, name=data["name"], staff=data["staff"], on=data["on"]
        )
    elif step == "prepare":
        services.conference_prepare(
            conference=conference,
            professionals=data["professionals"],
            revision=revision_for(form, request.POST),
        )
    elif step == "invite":
        services.invite(actor=request.user, member=data["member"], conference=conference)
    elif step == "hold":
        held = {k: v for k, v in data.items() if k != "revision"}
        services.conference_hold(
            conference=conference, revision=revision_for(form, request.POST), **held
        )
    elif step == "step":
        services.step_add(conference=conference, **data)
    elif step == "decide":
        services.conference_decide(actor=request.user, conference=conference, **data)
    elif step == "outcome":
        services.step_outcome(conference=conference, **data)
    elif step == "follow_up":
        services.follow_up_record(actor=request.user, conference=conference, **data)


def conference_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A conference through its stages. Each stage's form posts here with its `step`."""
    action = Action.UPDATE if request.method == "POST" else Action.READ
    conference = _conference_for(request, pk, action)
    step = request.POST.get("step", "")
    forms = _conference_forms(conference, request.POST or None, step)
    conflict = None
    if request.method == "POST" and step in CONFERENCE_STEPS:
        form = forms[step]
        if form.is_valid():
            try:
                _conference_step(request, conference, step, form)
            except Conflict as stale:
                # Someone wrote this stage since the page was read: both side by side.
                names = [name for name in form.fields if name != "revision"]
                conflict = conflict_context(
                    stale,
                    form,
                    {name: getattr(stale.saved, name) for name in names},
                    heading=_("Someone else saved this while you were writing."),
                    key=step,
                    reload=reverse("network:conference", args=[pk]) + f"#{step}",
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Saved."))
                return redirect("network:conference", pk=pk)
    invitations = list(conference.invitations.select_related("member"))
    return render(
        request,
        "network/conference.html",
        {
            "conference": conference,
            "case": conference.case,
            "person": conference.case.person,
            "forms": forms,
            "failed": forms[step] if step in CONFERENCE_STEPS else None,
            "invitations": invitations,
            "withdrawn": [i for i in invitations if i.consent_withdrawn_on],
            "steps": list(conference.steps.select_related("owner_member")),
            "follow_ups": list(conference.follow_ups.all()),
            "stages": Stage,
            "conflict": conflict,
        },
    )


@require_safe
def unit_conferences(request: AuthedRequest, pk: int) -> HttpResponse:
    """For the unit's leaders: the unit's conferences and what came of them."""
    unit, grant = access.unit_for(request, pk)
    conferences = list(
        FamilyConference.objects.filter(
            access.shown_to(request.user, "case__person"), case__unit=unit
        )
        .select_related("case__person", "coordinator_staff")
        .annotate(
            step_count=Count("steps", distinct=True),
            done_count=Count("steps", filter=Q(steps__done_on__isnull=False), distinct=True),
        )
    )
    summary = {
        "total": len(conferences),
        "accepted": sum(c.decision == "accepted" for c in conferences),
        "not_accepted": sum(c.decision == "not_accepted" for c in conferences),
    }
    summary["open"] = summary["total"] - summary["accepted"] - summary["not_accepted"]
    access.record_list(request, "unit_conferences", [c.case.person_id for c in conferences], grant)
    return render(
        request,
        "network/unit_conferences.html",
        {"unit": unit, "conferences": conferences, "summary": summary},
    )


# -- meetings -------------------------------------------------------------------------------


def meeting_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """Record a network meeting or a reflecting team on a case."""
    action = Action.CREATE if request.method == "POST" else Action.READ
    case, _grant = access.get_case_for(request, pk, action)
    members = _current_members(case.person_id)
    form = MeetingForm(
        request.POST or None, members=members, initial={"held_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = list(data.pop("members"))
        journal = data.pop("journal")
        try:
            meeting = services.meeting_record(
                actor=request.user, case=case, members=chosen, journal=journal, **data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The meeting is recorded."))
            return redirect("network:meeting", pk=meeting.pk)
    return render(request, "network/meeting_new.html", {"form": form, "case": case})


@require_safe
def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    meeting = _meeting_for(request, pk, Action.READ)
    return render(
        request,
        "network/meeting.html",
        {
            "meeting": meeting,
            "case": meeting.case,
            "person": meeting.case.person,
            "invitations": list(meeting.invitations.select_related("member")),
        },
    )
