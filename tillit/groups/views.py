from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access
from tillit.clients.models import Person
from tillit.feedback.models import Response
from tillit.groups import services
from tillit.groups.forms import AgreementForm, GroupForm, MemberForm, SessionForm
from tillit.groups.models import Attendance, Group, GroupMember
from tillit.lib.http import AuthedRequest, told
from tillit.org.models import Role, Unit


@require_safe
def mine(request: AuthedRequest) -> HttpResponse:
    """The groups the user may open (they lead them, work with a member, or lead the
    unit): names and sizes only, no client's name."""
    groups = (
        Group.objects.filter(access.groups_open_to(request.user))
        .select_related("unit")
        .annotate(size=Count("members", filter=Q(members__left_on__isnull=True)))
    )
    return render(request, "groups/mine.html", {"groups": groups})


def group_new(request: AuthedRequest) -> HttpResponse:
    units = Unit.objects.filter(pk__in=request.user.unit_ids(Role.WORKER, Role.TEAM_LEADER))
    if not units.exists():
        access.refuse(request.user, "group", "new", True, Action.CREATE)
    form = GroupForm(
        request.POST or None, units=units, initial={"started_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        services.group_create(actor=request.user, **form.cleaned_data)
        messages.success(request, _("The group is created. Add its members."))
        return redirect("groups:mine")
    return render(request, "groups/new.html", {"form": form})


def _persons_to_add(request: AuthedRequest, group: Group):
    """Clients the user works with in the group's unit who are not in the group now."""
    cases = access.visible_cases(request.user).filter(unit_id=group.unit_id).open()
    current = GroupMember.objects.filter(group=group, left_on__isnull=True)
    return (
        Person.objects.filter(pk__in=cases.values("person_id"))
        .exclude(pk__in=current.values("person_id"))
        .order_by("last_name", "first_name")
    )


STEPS = ("member", "session", "agreement")


def group_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """A group: its members, sessions with attendance, and the members' own agreements."""
    action = Action.CREATE if request.method == "POST" else Action.READ
    group, _grant = access.get_group_for(request, pk, action)
    members = group.visible_members
    step = request.POST.get("step", "")
    today = timezone.localdate()
    forms = {
        "member": MemberForm(
            request.POST if step == "member" else None,
            prefix="member",
            persons=_persons_to_add(request, group),
            initial={"joined_on": today},
        ),
        "session": SessionForm(
            request.POST if step == "session" else None,
            prefix="session",
            members=members,
            initial={"held_on": today},
        ),
        "agreement": AgreementForm(
            request.POST if step == "agreement" else None, prefix="agreement"
        ),
    }
    if request.method == "POST" and step in STEPS and forms[step].is_valid():
        data = forms[step].cleaned_data
        try:
            if step == "member":
                services.member_join(group=group, person=data["person"], on=data["joined_on"])
            elif step == "session":
                services.session_record(
                    actor=request.user,
                    group=group,
                    held_on=data["held_on"],
                    theme=data["theme"],
                    members=members,
                    present={int(pk) for pk in data["present"]},
                )
            else:
                services.agreement_record(actor=request.user, group=group, **data)
        except ValidationError as error:
            forms[step].add_error(None, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("groups:group", pk=pk)
    sessions = list(
        group.sessions.annotate(
            came=Count("attendance", filter=Q(attendance__present=True)),
            expected=Count("attendance"),
        )[:20]
    )
    # The group check after the latest session, per present member whose case the user
    # may open: a member's answers are their case's, not the group's.
    checks = []
    if sessions:
        score = Response.objects.filter(entry=OuterRef("entry_id"), instrument__key="group")
        own_cases = access.visible_cases(request.user).values("person_id")
        checks = list(
            Attendance.objects.filter(
                session=sessions[0],
                present=True,
                member__in=members,
                member__person__in=own_cases,
            )
            .select_related("member__person")
            .annotate(score=Subquery(score.values("score")[:1]))
        )
    return render(
        request,
        "groups/group.html",
        {
            "group": group,
            "checks": checks,
            "members": members,
            "sessions": sessions,
            "agreements": list(group.agreements.all()),
            "forms": forms,
        },
    )


@require_POST
def session_check(request: AuthedRequest, pk: int) -> HttpResponse:
    """Ask a present member the group check: their journal entry for the session is made
    (once) in their case, and the answers are taken there like any meeting's. The case's
    access helper decides: a worker asks only the members they work with."""
    attendance = (
        Attendance.objects.select_related("member__person", "session__group", "entry")
        .filter(pk=pk, present=True)
        .first()
    )
    case = None
    if attendance is not None:
        case = services.member_case(attendance.member.person, attendance.session.group)
    if attendance is None or case is None:
        access.refuse(request.user, "attendance", pk, False, Action.CREATE)
    assert attendance is not None and case is not None
    access.get_case_for(request, case.pk, Action.CREATE)
    entry = services.attendance_entry(actor=request.user, attendance=attendance, case=case)
    return redirect(reverse("feedback:meeting", args=[entry.pk]) + "?when=group")


@require_POST
def member_leave(request: AuthedRequest, pk: int) -> HttpResponse:
    member = (
        GroupMember.objects.select_related("person").filter(pk=pk, left_on__isnull=True).first()
    )
    if member is None or not access.may_see_protected(request.user, member.person):
        access.refuse(request.user, "group member", pk, False, Action.UPDATE)
    assert member is not None
    group, _grant = access.get_group_for(request, member.group_id, Action.UPDATE)
    with told(request, _("%(name)s has left the group.") % {"name": member.person}):
        services.member_leave(member=member, on=timezone.localdate())
    return redirect("groups:group", pk=group.pk)
