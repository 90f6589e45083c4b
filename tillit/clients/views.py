from __future__ import annotations

import copy

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import Action
from tillit.clients import access, services
from tillit.clients.forms import (
    AssignForm,
    CaseForm,
    CorrectionForm,
    DeclineForm,
    EmergencyAccessForm,
    EntryForm,
    HandoverForm,
    InquiryForm,
    PersonForm,
)
from tillit.clients.models import (
    Assignment,
    AssignmentRole,
    Case,
    EntryKind,
    EntryStatus,
    Handover,
    HandoverState,
    JournalEntry,
    Person,
)
from tillit.feedback.queries import open_alerts
from tillit.followup.due import due_list
from tillit.groups.queries import in_a_group
from tillit.lib import ids
from tillit.lib.http import AuthedRequest, told
from tillit.lib.queries import count_per_row, counted_page
from tillit.lib.revisions import Conflict, conflict_context, revision_for
from tillit.org.models import Role, Unit, User
from tillit.portal.models import Release

# What a worker reads on first sight; older entries are appended on demand.
JOURNAL_PAGE_SIZE = 15
# The kinds of journal entry that are meetings the client can give feedback on.
FEEDBACK_KINDS = (
    EntryKind.MEETING,
    EntryKind.HOME_VISIT,
    EntryKind.NETWORK_MEETING,
    EntryKind.DROP_IN,
    EntryKind.PHONE,
    EntryKind.GROUP_SESSION,
)
# Open cases on one page of a unit's page.
UNIT_PAGE_SIZE = 100
# A caseload row is flagged when the last contact is older than this.
QUIET_DAYS = 30


def _contact_person_prefetch() -> Prefetch:
    current = Assignment.objects.current().filter(role=AssignmentRole.CONTACT_PERSON)
    return Prefetch("assignments", current.select_related("worker"), to_attr="contact")


def _last_contact() -> Subquery:
    """When a case's journal was last written in."""
    latest = JournalEntry.objects.filter(case=OuterRef("pk")).order_by("-happened_at")
    return Subquery(latest.values("happened_at")[:1])


@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    if user.unit_ids(Role.WORKER):
        return redirect("clients:caseload")
    led = sorted(user.unit_ids(Role.TEAM_LEADER))
    if led:
        return redirect("clients:unit", pk=led[0])
    return render(request, "clients/home.html")


@require_safe
def caseload(request: AuthedRequest) -> HttpResponse:
    """My caseload: the worker's open cases and what needs attention."""
    user = request.user
    my_drafts = JournalEntry.objects.filter(status=EntryStatus.DRAFT, author_id=user.pk)
    cases = list(
        access.visible_cases(user, assigned_only=True)
        .open()
        .select_related("person", "unit")
        .annotate(
            last_contact=_last_contact(),
            open_alerts=open_alerts(),
            my_drafts=count_per_row(my_drafts, "case"),
        )
        .prefetch_related(_contact_person_prefetch())
        .order_by("person__last_name", "person__first_name", "pk")
    )
    today = timezone.localdate()
    for case in cases:
        last = case.last_contact  # type: ignore[attr-defined]
        since = timezone.localdate(last) if last else None
        case.days_since = (today - since).days if since else None
        # No contact yet is quiet only once the case has waited as long as contact may.
        case.quiet = (today - (since or case.opened_on)).days > QUIET_DAYS
    items = due_list(user, today, worker=user)
    access.record_list(
        request, "caseload", {c.person_id for c in cases} | {i.case.person_id for i in items}
    )
    context = {"cases": cases, "quiet_days": QUIET_DAYS, "due": items}
    return render(request, "clients/caseload.html", context)


def _journal(request: AuthedRequest, cases: list[Case]) -> dict:
    """One page of the journal: the current version of each entry, newest first, with its
    earlier versions, whether it is shared with the client and the client's comments."""
    rows = (
        JournalEntry.objects.current()
        .filter(case__in=cases)
        .select_related("author", "signed_by", "case__unit")
        .annotate(released=Exists(Release.objects.filter(entry=OuterRef("pk"))))
        .prefetch_related("client_comments")
    )
    page = counted_page(rows, request.GET.get("page"), JOURNAL_PAGE_SIZE)
    entries = list(page)
    threads = {entry.thread_id for entry in entries if entry.thread_id}
    earlier: dict[int, list[JournalEntry]] = {}
    if threads:
        older = (
            JournalEntry.objects.filter(Q(pk__in=threads) | Q(thread__in=threads))
            .exclude(pk__in=[entry.pk for entry in entries])
            .select_related("author", "signed_by")
            .order_by("-version")
        )
        for entry in older:
            earlier.setdefault(entry.thread_id or entry.pk, []).append(entry)
    for entry in entries:
        entry.earlier = earlier.get(entry.thread_id, []) if entry.thread_id else []
    return {"page": page, "entries": entries}


@require_safe
def person_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client's page: who they are, their cases, their workers over time, the journal."""
    granted = access.get_person_for(request, pk, Action.READ, annotate={"in_group": in_a_group()})
    return _render_person(request, granted)


def _render_person(request: AuthedRequest, granted: access.PersonAccess, **extra) -> HttpResponse:
    cases = granted.cases
    assignments = list(
        Assignment.objects.filter(case__in=cases)
        .select_related("worker")
        .order_by("case_id", "-started_on", "-id")
    )
    handovers = list(
        Handover.objects.filter(case__in=cases).select_related(
            "from_unit", "to_unit", "sent_by", "decided_by"
        )
    )
    units = list(Unit.objects.order_by("name")) if any(c.is_open for c in cases) else []
    for case in cases:
        case.history = [a for a in assignments if a.case_id == case.pk]
        case.contact = [
            a
            for a in case.history
            if a.ended_on is None and a.role == AssignmentRole.CONTACT_PERSON
        ]
        case.handed = [h for h in handovers if h.case_id == case.pk]
        case.pending = next((h for h in case.handed if h.state == HandoverState.PENDING), None)
        if case.is_open and granted.grant.ground != "emergency":
            case.inquiry_form = InquiryForm(prefix=f"inquiry-{case.pk}")
            case.handover_form = HandoverForm(case=case, units=units, prefix=f"handover-{case.pk}")
    open_cases = [c for c in cases if c.is_open]
    emergency_access = granted.grant.emergency
    if emergency_access is not None and access.emergency_note_written(emergency_access):
        open_cases = []  # the one note an emergency access allows is written
    person = granted.person
    context = {
        "person": person,
        "granted": granted,
        "grant": granted.grant,
        "cases": cases,
        "entry_form": EntryForm(),
        "write_case": open_cases[0] if open_cases else None,
        "open_cases": open_cases,
        "feedback_kinds": FEEDBACK_KINDS,
        "in_group": any(case.in_group for case in cases),  # type: ignore[attr-defined]
        "twins": _twins(person),
        **_journal(request, cases),
        **extra,
    }
    if request.htmx and request.GET.get("page"):
        return render(request, "clients/person.html#journal_page", context)
    return render(request, "clients/person.html", context)


def _twins(person: Person) -> list[Case]:
    """For the staff named on a protected identity: the cases of other records with the
    same identity number, which staff who could not see this one have registered."""
    if not (person.protected_identity and person.id_number):
        return []
    return list(
        Case.objects.filter(
            person__id_country=person.id_country, person__id_number=person.id_number
        )
        .exclude(person=person)
        .select_related("unit")
    )


def person_new(request: AuthedRequest) -> HttpResponse:
    """Register a new client and open their first case."""
    user = request.user
    if not user.unit_ids(Role.WORKER, Role.TEAM_LEADER):
        access.refuse(user, "person", "new", True, Action.CREATE)
    person_form = PersonForm(request.POST or None, user=user)
    case_form = CaseForm(request.POST or None, user=user)
    if request.method == "POST" and person_form.is_valid() and case_form.is_valid():
        try:
            case = services.case_open(
                actor=user,
                person=person_form.instance,
                path=request.path,
                **case_form.cleaned_data,
            )
        except ValidationError as error:
            person_form.add_error(None, error)
        else:
            messages.success(request, _("The client is registered and the case opened."))
            return redirect("clients:person", pk=case.person_id)
    return render(
        request, "clients/person_new.html", {"person_form": person_form, "case_form": case_form}
    )


def entry_create(request: AuthedRequest, pk: int) -> HttpResponse:
    """Write a journal entry on a case (htmx inline on the client's page, or a plain page).
    Under emergency access this is the one note of what was done, signed at once. The same
    form sent twice (a double click) makes one entry."""
    case, grant = access.get_case_for(request, pk, Action.CREATE, emergency_note=True)
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        entry = services.entry_create(
            actor=request.user,
            case=case,
            sign=data["sign"] or grant.ground == "emergency",
            submission=data["submission"],
            **{name: data[name] for name in services.DRAFT_FIELDS},
        )
        if request.htmx:
            context = {
                "entry_form": EntryForm(),
                "write_case": case,
                "entry": entry,
                "person": case.person,
                "created": True,
            }
            return render(request, "clients/person.html#entry_added", context)
        messages.success(request, _("The entry is saved."))
        return redirect(reverse("clients:person", args=[case.person_id]) + f"#entry-{entry.pk}")
    if request.htmx:
        return render(
            request,
            "clients/person.html#entry_form",
            {"entry_form": form, "write_case": case, "person": case.person},
        )
    return render(request, "clients/entry_form.html", {"form": form, "case": case})


def entry_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Edit one's own draft, saved against the revision it was read at: a save from another
    tab in between is shown beside this one (tillit/lib/revisions.py). Signed entries are
    corrected instead."""
    entry, _grant = access.get_entry_for(request, pk, Action.UPDATE)
    if entry.is_signed and request.method != "POST":  # a POST keeps its text (below)
        messages.error(request, _("A signed entry cannot be changed; write a correction."))
        return redirect("clients:entry_correct", pk=entry.pk)
    form = EntryForm(
        request.POST or None, instance=copy.copy(entry), initial={"revision": entry.revision}
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            # Signed in another tab since it was read: the text stays in the form.
            services.entry_update_draft(
                entry=entry,
                revision=revision_for(form, request.POST),
                **{name: form.cleaned_data[name] for name in services.DRAFT_FIELDS},
            )
        except Conflict as stale:
            conflict = conflict_context(
                stale,
                form,
                heading=_("This draft was saved in another tab or window while you wrote."),
                reload=reverse("clients:entry_edit", args=[pk]),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if form.cleaned_data["sign"]:
                services.entry_sign(actor=request.user, entry=entry)
            messages.success(request, _("The entry is saved."))
            return redirect(reverse("clients:person", args=[entry.case.person_id]) + f"#entry-{pk}")
    context = {"form": form, "case": entry.case, "entry": entry, "conflict": conflict}
    return render(request, "clients/entry_form.html", context)


@require_POST
def entry_sign(request: AuthedRequest, pk: int) -> HttpResponse:
    entry, _grant = access.get_entry_for(request, pk, Action.SIGN)
    try:
        services.entry_sign(actor=request.user, entry=entry)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    if request.htmx:
        entry.earlier = []
        return render(request, "clients/person.html#entry", {"entry": entry})
    return redirect(reverse("clients:person", args=[entry.case.person_id]) + f"#entry-{pk}")


def entry_correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """Correct a signed entry with a new version; the old one stays readable."""
    entry, _grant = access.get_entry_for(request, pk, Action.CORRECT)
    initial = {
        "happened_at": entry.happened_at,
        "kind": entry.kind,
        "text": entry.text,
        "present": entry.present,
        "client_words": entry.client_words,
    }
    form = CorrectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            new = services.entry_correct(
                actor=request.user,
                entry=entry,
                reason=reason,
                **data,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The correction is signed. The earlier version is kept."))
            return redirect(
                reverse("clients:person", args=[entry.case.person_id]) + f"#entry-{new.pk}"
            )
    return render(request, "clients/entry_correct.html", {"form": form, "entry": entry})


@require_POST
def case_inquiry(request: AuthedRequest, pk: int) -> HttpResponse:
    """Intake decides whether to open an assessment, with the reason either way."""
    case, _grant = access.get_case_for(request, pk, Action.UPDATE)
    form = InquiryForm(request.POST, prefix=f"inquiry-{case.pk}")
    if form.is_valid():
        with told(request, _("The decision on the inquiry is recorded.")):
            services.inquiry_decide(case=case, **form.cleaned_data)
    else:
        messages.error(request, _("Choose whether to open an assessment, and give the reason."))
    return redirect("clients:person", pk=case.person_id)


@require_POST
def case_handover(request: AuthedRequest, pk: int) -> HttpResponse:
    """Hand the case to another unit, with a note; that unit's team leader decides."""
    case, _grant = access.get_case_for(request, pk, Action.UPDATE)
    form = HandoverForm(request.POST, case=case, prefix=f"handover-{case.pk}")
    if form.is_valid():
        to_unit = form.cleaned_data["to_unit"]
        done = _("The case is handed over to %(unit)s; it stays here until they accept it.")
        with told(request, done % {"unit": to_unit}):
            services.handover_send(
                actor=request.user, case=case, to_unit=to_unit, note=form.cleaned_data["note"]
            )
    else:
        messages.error(request, _("Choose the unit and write a note to it."))
    return redirect("clients:person", pk=case.person_id)


@require_POST
def handover_accept(request: AuthedRequest, pk: int) -> HttpResponse:
    """The receiving unit's team leader takes the case and names its contact person."""
    handover, _grant = access.get_handover_for(request, pk, Action.ASSIGN)
    form = AssignForm(request.POST, unit_id=handover.to_unit_id)
    if form.is_valid():
        worker = form.cleaned_data["worker"]
        done = _("%(person)s's case is now this unit's, with %(worker)s as contact person.")
        with told(request, done % {"person": handover.case.person, "worker": worker}):
            services.handover_accept(actor=request.user, handover=handover, worker=worker)
    else:
        messages.error(request, _("Choose a worker of the unit."))
    return redirect("clients:unit", pk=handover.to_unit_id)


@require_POST
def handover_decline(request: AuthedRequest, pk: int) -> HttpResponse:
    """The receiving unit cannot take the case; it stays with the sending unit."""
    handover, _grant = access.get_handover_for(request, pk, Action.UPDATE)
    form = DeclineForm(request.POST)
    if form.is_valid():
        with told(request, _("The hand-over is declined; the sending unit sees why.")):
            services.handover_decline(
                actor=request.user, handover=handover, reason=form.cleaned_data["reason"]
            )
    else:
        messages.error(request, _("Say why the unit cannot take the case."))
    return redirect("clients:unit", pk=handover.to_unit_id)


def case_assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """A team leader names a case's contact person, ending the previous assignment. The
    unit page links each case here rather than carrying a list of every worker on every
    row (thousands of rows in a large unit)."""
    case, _grant = access.get_case_for(request, pk, Action.ASSIGN)
    if request.method != "POST":
        contact = Assignment.objects.current().filter(case=case, role=AssignmentRole.CONTACT_PERSON)
        context = {
            "case": case,
            "contact": contact.select_related("worker").first(),
            "form": AssignForm(unit_id=case.unit_id),
        }
        return render(request, "clients/assign.html", context)
    form = AssignForm(request.POST, unit_id=case.unit_id)
    if form.is_valid():
        services.assignment_start(
            case=case, worker=form.cleaned_data["worker"], role=AssignmentRole.CONTACT_PERSON
        )
        messages.success(
            request,
            _("%(worker)s is now contact person for %(person)s.")
            % {"worker": form.cleaned_data["worker"], "person": case.person},
        )
    else:
        messages.error(request, _("Choose a worker of the unit."))
    return redirect("clients:unit", pk=case.unit_id)


@require_safe
def unit_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """For team leaders: the unit's open cases, its workers' caseloads, unassigned cases."""
    unit, grant = access.unit_for(request, pk)
    user = request.user
    open_cases = access.visible_cases(user).open().filter(unit=unit)
    by_name = ("person__last_name", "person__first_name", "pk")
    rows = (
        open_cases.select_related("person")
        .annotate(last_contact=_last_contact(), open_alerts=open_alerts())
        .prefetch_related(_contact_person_prefetch())
        .order_by(*by_name)
    )
    # A page of the open cases at a time: a unit of thousands is not one table.
    page = counted_page(rows, request.GET.get("page"), UNIT_PAGE_SIZE)
    cases = list(page)
    contact = Assignment.objects.current().filter(
        case=OuterRef("pk"), role=AssignmentRole.CONTACT_PERSON
    )
    unassigned = list(
        open_cases.exclude(Exists(contact)).select_related("person").order_by(*by_name)
    )
    workers = list(
        User.objects.filter(memberships__unit=unit, memberships__role=Role.WORKER)
        .annotate(
            caseload=Count(
                "assignments",
                filter=Q(assignments__ended_on__isnull=True, assignments__case__unit=unit)
                & ~Q(assignments__case__status="closed"),
                distinct=True,
            )
        )
        .order_by("first_name", "last_name")
    )
    incoming = list(
        Handover.objects.pending()
        .filter(access.shown_to(user, "case__person"), to_unit=unit, case__removed_on__isnull=True)
        .select_related("case__person", "from_unit", "sent_by")
        .order_by("sent_at")
    )
    items = due_list(user, timezone.localdate(), unit_ids=[unit.pk])
    listed = [c.person_id for c in cases + unassigned] + [h.case.person_id for h in incoming]
    listed += [item.case.person_id for item in items]
    access.record_list(request, "unit", listed, grant)
    return render(
        request,
        "clients/unit.html",
        {
            "unit": unit,
            "cases": cases,
            "page": page,
            "workers": workers,
            "unassigned": unassigned,
            "incoming": incoming,
            "due": items,
            "assign_form": AssignForm(unit_id=unit.pk),
        },
    )


def emergency_access(request: AuthedRequest) -> HttpResponse:
    """Break the glass: a reasoned, time-limited access to one person."""
    user = request.user
    if not user.unit_ids(*services.EMERGENCY_ROLES):
        access.refuse(
            user,
            "emergency",
            "new",
            True,
            Action.EMERGENCY,
            _("Your role does not allow emergency access: it is for those who work with clients."),
        )
    form = EmergencyAccessForm(request.POST or None, initial={"person": request.GET.get("person")})
    if request.method == "POST" and form.is_valid():
        person = _emergency_target(user, form)
        if person is not None:
            try:
                services.emergency_access_open(
                    actor=user,
                    person=person,
                    category=form.cleaned_data["category"],
                    reason=form.cleaned_data["reason"],
                    path=request.path,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.warning(
                    request,
                    _(
                        "Emergency access is open for %(hours)s hours. It is logged and will be "
                        "reviewed by a team leader."
                    )
                    % {"hours": settings.EMERGENCY_ACCESS_HOURS},
                )
                return redirect("clients:person", pk=person.pk)
    return render(request, "clients/emergency.html", {"form": form})


def _emergency_target(user: User, form: EmergencyAccessForm) -> Person | None:
    """The person an emergency access is asked for: by exact identity number, or the
    person of a 403 page (a case in the user's own unit). Never by browsing."""
    data = form.cleaned_data
    person = None
    if data.get("person"):
        person = Person.objects.filter(
            pk=data["person"],
            cases__unit_id__in=user.unit_ids(),
            cases__removed_on__isnull=True,
        ).first()
    elif data.get("id_number"):
        try:
            number = ids.normalise(data.get("id_country") or ids.SWEDEN, data["id_number"])
        except ValidationError as error:
            form.add_error("id_number", error)
            return None
        person = Person.objects.filter(
            id_country=data["id_country"], id_number=number, protected_identity=False
        ).first()
    else:
        form.add_error("id_number", _("Give the client's identity number."))
        return None
    if person is None or not access.may_see_protected(user, person):
        form.add_error("id_number", _("No client with that identity number was found."))
        return None
    return person


def forbidden(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    """403 page; offers emergency access when the refused thing is a client."""
    person = request.resolver_match.kwargs.get("pk") if request.resolver_match else None
    is_person = bool(request.resolver_match and request.resolver_match.url_name == "person")
    context = {
        "person_pk": person if is_person else None,
        "message": str(exception.args[0]) if exception and exception.args else "",
    }
    return render(request, "403.html", context, status=403)
