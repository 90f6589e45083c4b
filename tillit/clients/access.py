"""The access policy: the one place that decides who may see or change a client's data.

Rules (see docs/architecture.md):
- a worker reads and writes the cases they are currently assigned to;
- a team leader the cases of the units they lead;
- anyone else nothing, except by an active emergency access to that one person;
- a protected identity only for staff named on the person, whatever else holds;
- a client (in the portal) their own person, found from their account, never from the URL.

Views never query client data directly: their first line is one of the `get_*_for`
helpers, which apply the policy and write exactly one audit row for the request.
A case that the user may not know of gives 404; one they may know of (a case in their
own unit) but not open gives 403. Both are logged to the `tillit.access` logger.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from operator import attrgetter
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, Manager, Model, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy

from tillit.audit.models import AccessLog, Action, Listed
from tillit.clients.models import (
    Assignment,
    Case,
    CaseQuerySet,
    EmergencyAccess,
    Handover,
    JournalEntry,
    Person,
)
from tillit.lib.http import AuthedRequest
from tillit.org.models import LEADER_ROLES, Role, Unit, User
from tillit.portal.models import ClientAccount

logger = logging.getLogger("tillit.access")

M = TypeVar("M", bound=Model)

CASE_WORK = frozenset(
    {
        Action.READ,
        Action.CREATE,
        Action.UPDATE,
        Action.SIGN,
        Action.CORRECT,
        Action.PRINT,
        Action.EXPORT,
    }
)
# What each ground for access allows. An emergency access is for reading, and for one
# signed journal note of what was done (`get_case_for(..., emergency_note=True)`, used by
# the journal alone); nothing else is written under it.
ALLOWED = {
    "assigned": CASE_WORK,
    "team_leader": CASE_WORK | {Action.ASSIGN},
    "emergency": frozenset({Action.READ}),
    # A client in the portal: their own records, and their own words in them.
    "self": frozenset({Action.READ, Action.CREATE, Action.PRINT}),
}
# What a request by a safe method (GET, HEAD) is recorded as, whatever it was checked for:
# opening a form that will write is checked as the write, but only a look has happened.
WRITES = frozenset(Action) - {Action.READ, Action.PRINT, Action.EXPORT}
EMERGENCY_READ_ONLY = gettext_lazy(
    "Emergency access lets you read this client's records and write one signed journal "
    "note of what you did. Ask the team leader of the client's unit for anything else."
)


@dataclass
class Grant:
    """Why a user may touch a case or person, and in which unit."""

    ground: str
    unit_id: int | None = None
    emergency: EmergencyAccess | None = None

    def allows(self, action: str) -> bool:
        return action in ALLOWED[self.ground]


@dataclass
class PersonAccess:
    person: Person
    grant: Grant
    cases: list[Case] = field(default_factory=list)


# -- the read side: querysets ------------------------------------------------------------


def shown_to(user: User, person: str = "person") -> Q:
    """Rows whose person (at the path `person` of the queried model) the user may know of:
    a protected identity exists only for the staff named on it. Every list of clients,
    and every other list that names one, filters with this."""
    named = Person.named_staff.through.objects.filter(person_id=OuterRef(person), user_id=user.pk)
    return Q(**{f"{person}__protected_identity": False}) | Q(Exists(named))


def assigned_case_ids(user: User) -> QuerySet:
    return Assignment.objects.current().filter(worker=user).values("case_id")


def _one(rows: QuerySet | Manager, **lookup: object):
    """The one row of `rows` matching `lookup`, or None. `get` rather than `first`: a row
    found by its key needs no ORDER BY, which costs `first` a good part of its compiling."""
    try:
        return rows.get(**lookup)
    except rows.model.DoesNotExist:
        return None


def _assigned_to(user_id: int, case_ref: str) -> Exists:
    """Whether `user_id` is currently assigned to the case at `case_ref` of the outer
    query: the grant's question asked in the query that reads the case, not in one of its
    own."""
    assigned = Assignment.objects.current().filter(worker_id=user_id, case_id=OuterRef(case_ref))
    return Exists(assigned.values("case_id"))


def _cases(user: User, annotate: dict | None = None) -> QuerySet[Case]:
    """Cases with their person and unit, whether `user` is assigned to each, and what
    `annotate` adds (what a page shows of each case, read in the same query)."""
    return (
        Case.objects.filter(removed_on__isnull=True)
        .select_related("person", "unit")
        .annotate(mine=_assigned_to(user.pk, "pk"), **(annotate or {}))
    )


def visible_cases(user: User, *, assigned_only: bool = False) -> CaseQuerySet:
    """Cases the user may read on their own ground (not by emergency access)."""
    ground = Q(pk__in=assigned_case_ids(user))
    if not assigned_only:
        ground |= Q(unit_id__in=user.unit_ids(Role.TEAM_LEADER))
    return Case.objects.filter(ground, shown_to(user), removed_on__isnull=True)


def may_see_protected(user: User, person: Person) -> bool:
    return not person.protected_identity or person.named_staff.filter(pk=user.pk).exists()


def leads_unit(user: User, unit_id: int) -> bool:
    return unit_id in user.unit_ids(*LEADER_ROLES)


def active_emergency(user: User, person: Person) -> EmergencyAccess | None:
    return EmergencyAccess.objects.active().filter(user=user, person=person).first()


# -- deciding ------------------------------------------------------------------------------


def _case_grant(user: User, case: Case, assigned: bool) -> Grant | None:
    if assigned:
        return Grant("assigned", case.unit_id)
    if case.unit_id in user.unit_ids(Role.TEAM_LEADER):
        return Grant("team_leader", case.unit_id)
    return None


# What `refuse` names that is a client's records: of these the 404 page tells staff "no
# client here that you may see" and whom to ask (tillit.clients.errors); of anything else
# (a unit, a group, the log) only that it is not found.
CLIENT_RECORDS = frozenset(
    {
        "person", "case", "entry", "moment", "plan", "goal", "step", "participant",
        "assessment", "answer", "alert", "member", "conference", "meeting", "consent",
        "intervention", "attendance", "group member", "handover", "decision", "follow-up",
    }
)  # fmt: skip


class Unknown(Http404):
    """The policy's 404: the user may not know whether the `what` asked for exists."""

    def __init__(self, what: str) -> None:
        super().__init__(what)
        self.about_a_client = what in CLIENT_RECORDS


def refuse(
    user: User, what: str, pk: object, knowable: bool, action: str, message: object = ""
) -> None:
    """Refuse: 403 (with `message`, shown on the 403 page) when the thing is one the user
    may know of, else 404; logged either way. Called before anything is recorded."""
    logger.warning(
        "access refused user=%s %s=%s action=%s status=%s",
        user.pk,
        what,
        pk,
        action,
        403 if knowable else 404,
    )
    if knowable:
        raise PermissionDenied(message)
    raise Unknown(what)


def _is_member_of(user: User, unit_ids: set[int]) -> bool:
    return bool(user.unit_ids() & unit_ids)


def person_access(user: User, pk: int, action: str, annotate: dict | None = None) -> PersonAccess:
    """Decide `action` on person `pk` for `user`; raise Http404/PermissionDenied if refused.
    The person is read with their cases, in one query (a second only for a person with no
    case); `annotate` adds what the page shows of each case to that query."""
    cases = list(_cases(user, annotate).filter(person_id=pk))
    person = cases[0].person if cases else _one(Person.objects, pk=pk)
    if person is None or not may_see_protected(user, person):
        refuse(user, "person", pk, False, action)
    assert person is not None
    readable = []
    grants = []
    for case in cases:
        grant = _case_grant(user, case, case.mine)  # type: ignore[attr-defined]
        if grant:
            readable.append(case)
            grants.append(grant)
    if grants:
        grant = min(grants, key=lambda g: list(ALLOWED).index(g.ground))
    else:
        emergency = active_emergency(user, person)
        if emergency is None:
            knowable = _is_member_of(user, {case.unit_id for case in cases})
            refuse(user, "person", pk, knowable, action)
        grant = Grant("emergency", None, emergency)
        readable = cases
    if not grant.allows(action):
        refuse(user, "person", pk, True, action, _refusal(grant))
    return PersonAccess(person, grant, readable)


def _refusal(grant: Grant) -> object:
    return EMERGENCY_READ_ONLY if grant.ground == "emergency" else ""


def emergency_note_written(emergency: EmergencyAccess) -> bool:
    """Whether the one journal note an emergency access allows is written."""
    return AccessLog.objects.filter(emergency=emergency, action=Action.CREATE).exists()


def case_grant(
    user: User,
    case: Case,
    action: str,
    assigned: bool | None = None,
    *,
    emergency_note: bool = False,
) -> Grant:
    """Decide `action` on `case` for `user`; raise Http404/PermissionDenied if refused.
    `assigned`, when the caller's query has already answered it (`assigned_to`), saves one.
    `emergency_note`: the action is the journal note an emergency access allows once."""
    person = case.person
    if not may_see_protected(user, person):
        refuse(user, "case", case.pk, False, action)
    if assigned is None:
        assigned = Assignment.objects.current().filter(case=case, worker=user).exists()
    grant = _case_grant(user, case, assigned)
    if grant is None:
        emergency = active_emergency(user, person)
        if emergency is None:
            refuse(user, "case", case.pk, _is_member_of(user, {case.unit_id}), action)
        grant = Grant("emergency", None, emergency)
    note = (
        emergency_note
        and grant.emergency is not None
        and action == Action.CREATE
        and not emergency_note_written(grant.emergency)
    )
    if not (grant.allows(action) or note):
        refuse(user, "case", case.pk, True, action, _refusal(grant))
    return grant


# -- the helpers every view calls ----------------------------------------------------------


def record(
    request: AuthedRequest,
    action: str,
    *,
    grant: Grant | None = None,
    person: Person | None = None,
    case: Case | None = None,
    unit_id: int | None = None,
    detail: dict | None = None,
    listed: Iterable[int] = (),
) -> AccessLog:
    """Write the audit row for this request before the response is rendered: no row, no
    data. A write's row commits with the write (tillit.lib.middleware); a read's commits
    at once. Call it only once the request is allowed: a refusal writes no row. `listed`:
    the persons a page that lists clients shows (record_list). A request by a safe method
    is recorded as a read, whatever it was checked for (WRITES)."""
    if request.method in ("GET", "HEAD") and action in WRITES:
        action = Action.READ
    row = AccessLog.objects.create(
        user=request.user,
        role=grant.ground if grant else "",
        unit_id=unit_id if unit_id is not None else (grant.unit_id if grant else None),
        person=person,
        case=case,
        action=action,
        emergency=grant.emergency if grant else None,
        path=request.path[:300],
        detail=detail or {},
    )
    if listed:
        Listed.objects.bulk_create(Listed(log=row, person_id=pk) for pk in sorted(set(listed)))
    return row


def get_person_for(
    request: AuthedRequest, pk: int, action: str = Action.READ, *, annotate: dict | None = None
) -> PersonAccess:
    """The person `pk` with the cases the user may read, after the policy and the audit;
    `annotate` as for `person_access`."""
    access = person_access(request.user, pk, action, annotate)
    record(request, action, grant=access.grant, person=access.person)
    return access


def get_case_for(
    request: AuthedRequest, pk: int, action: str = Action.READ, *, emergency_note: bool = False
) -> tuple[Case, Grant]:
    user = request.user
    case = _one(_cases(user), pk=pk)
    if case is None:
        refuse(user, "case", pk, False, action)
    assert case is not None
    grant = case_grant(
        user,
        case,
        action,
        case.mine,
        emergency_note=emergency_note,
    )
    record(request, action, grant=grant, person=case.person, case=case)
    return case, grant


# What only a draft's author may do with it: change it, and sign it.
DRAFT_ACTIONS = frozenset({Action.UPDATE, Action.SIGN})


def on_case_for(
    request: AuthedRequest,
    model: type[M],
    what: str,
    pk: int,
    action: str,
    related: tuple[str, ...] = (),
    *,
    case: str = "case",
) -> tuple[M, Grant]:
    """The record `pk` of `model` (one that belongs to a case: a journal entry, a plan, a
    plan's goal) after the policy on its case, read with its case in one query; refused
    as `what`. `case` is the path from the record to its case ("plan__case" for a goal).
    Not audited: for a view that has more to check before it records."""
    rows = model._default_manager.select_related(
        f"{case}__person", f"{case}__unit", *related
    ).filter(**{f"{case}__removed_on__isnull": True})
    found = _one(rows.annotate(mine=_assigned_to(request.user.pk, f"{case}_id")), pk=pk)
    if found is None:
        refuse(request.user, what, pk, False, action)
    assert found is not None
    its_case = attrgetter(case.replace("__", "."))(found)
    return found, case_grant(request.user, its_case, action, found.mine)


def get_on_case_for(
    request: AuthedRequest, model: type[M], what: str, pk: int, action: str, *, case: str = "case"
) -> tuple[M, Grant]:
    """`on_case_for`, with the audit row naming the record: the loader of every view of
    one record that belongs to a case."""
    found, grant = on_case_for(request, model, what, pk, action, case=case)
    its_case = attrgetter(case.replace("__", "."))(found)
    record(request, action, grant=grant, person=its_case.person, case=its_case, detail={what: pk})
    return found, grant


def get_entry_for(
    request: AuthedRequest, pk: int, action: str = Action.READ
) -> tuple[JournalEntry, Grant]:
    entry, grant = on_case_for(request, JournalEntry, "entry", pk, action, ("author",))
    if action in DRAFT_ACTIONS and not entry.is_signed and entry.author_id != request.user.pk:
        refuse(request.user, "entry", pk, True, action)  # a draft is its author's alone
    record(
        request,
        action,
        grant=grant,
        person=entry.case.person,
        case=entry.case,
        detail={"entry": entry.pk},
    )
    return entry, grant


def unit_for(request: AuthedRequest, pk: int) -> tuple[Unit, Grant]:
    """A unit's pages, with its clients' names, are for the unit's team leaders. Not
    audited: the page records the clients it lists (record_list)."""
    user = request.user
    unit = _one(Unit.objects, pk=pk)
    if unit is None or pk not in user.unit_ids(Role.TEAM_LEADER):
        refuse(user, "unit", pk, unit is not None and _is_member_of(user, {pk}), Action.READ)
    assert unit is not None
    return unit, Grant("team_leader", pk)


def get_handover_for(
    request: AuthedRequest, pk: int, action: str = Action.ASSIGN
) -> tuple[Handover, Grant]:
    """A hand-over that waits for a unit is for that unit's team leaders: they see whom
    it is about and decide whether to take the case. A protected person's hand-over is
    there only for staff named on them."""
    user = request.user
    rows = Handover.objects.pending().select_related("case__person", "to_unit")
    handover = _one(
        rows.filter(shown_to(user, "case__person"), case__removed_on__isnull=True), pk=pk
    )
    to_unit = handover.to_unit_id if handover else None
    if to_unit is None or to_unit not in user.unit_ids(Role.TEAM_LEADER):
        refuse(user, "handover", pk, to_unit is not None and _is_member_of(user, {to_unit}), action)
    assert handover is not None
    grant = Grant("team_leader", handover.to_unit_id)
    case = handover.case
    record(request, action, grant=grant, person=case.person, case=case, detail={"handover": pk})
    return handover, grant


def own_person(request: AuthedRequest, action: str = Action.READ) -> tuple[Person, Grant]:
    """A client's own person in the portal, and never anyone else's: it is found from the
    client's account, not from anything in the URL. Staff have no account and get 404.
    Not audited: for a page that has more to check before it records (get_own_person)."""
    account = _one(ClientAccount.objects.select_related("person"), user=request.user)
    if account is None:
        refuse(request.user, "portal", request.path, False, action)
    assert account is not None
    grant = Grant("self")
    if not grant.allows(action):
        refuse(request.user, "portal", request.path, True, action)
    return account.person, grant


def get_own_person(request: AuthedRequest, action: str = Action.READ) -> Person:
    """own_person, after the policy and the audit."""
    person, grant = own_person(request, action)
    record(request, action, grant=grant, person=person)
    return person


def record_list(
    request: AuthedRequest, page: str, persons: Iterable[int], grant: Grant | None = None
) -> AccessLog:
    """Audit a page that lists clients, with the persons whose names it shows."""
    return record(request, Action.READ, grant=grant, detail={"page": page}, listed=persons)


# -- groups -------------------------------------------------------------------------------


def groups_open_to(user: User) -> Q:
    """The groups whose page `user` may open: a group page shows several clients' names.
    It is for the team leaders of the group's unit, and for staff of that unit who lead
    the group (they started it) or currently work with (are assigned to a case of) at
    least one of its current members. The groups list offers these and no other."""
    from tillit.groups.models import GroupMember

    clients = Assignment.objects.current().filter(worker=user).values("case__person_id")
    works_with_one = GroupMember.objects.filter(
        group=OuterRef("pk"), left_on__isnull=True, person__in=clients
    )
    return Q(unit_id__in=user.unit_ids(Role.TEAM_LEADER)) | Q(
        Q(created_by=user) | Exists(works_with_one), unit_id__in=user.unit_ids()
    )


def group_grant(user: User, group, action: str) -> Grant:
    """The grant on a group (`groups_open_to`): the unit's other staff get 403, anyone
    else 404."""
    from tillit.groups.models import Group

    if group.unit_id in user.unit_ids(Role.TEAM_LEADER):
        grant = Grant("team_leader", group.unit_id)
    else:
        if not Group.objects.filter(groups_open_to(user), pk=group.pk).exists():
            refuse(user, "group", group.pk, _is_member_of(user, {group.unit_id}), action)
        grant = Grant("assigned", group.unit_id)
    if not grant.allows(action):
        refuse(user, "group", group.pk, True, action)
    return grant


def get_group_for(request: AuthedRequest, pk: int, action: str = Action.READ):
    """The group `pk` with its current members the user may see (protected identities
    only for named staff), after the policy; one audit row names the persons shown."""
    from tillit.groups.models import Group, GroupMember

    group = _one(Group.objects.select_related("unit"), pk=pk)
    if group is None:
        refuse(request.user, "group", pk, False, action)
    assert group is not None
    grant = group_grant(request.user, group, action)
    members = list(
        GroupMember.objects.filter(group=group, left_on__isnull=True)
        .filter(shown_to(request.user))
        .select_related("person")
    )
    group.visible_members = members
    record(
        request,
        action,
        grant=grant,
        detail={"page": "group", "group": group.pk},
        listed=[m.person_id for m in members],
    )
    return group, grant
