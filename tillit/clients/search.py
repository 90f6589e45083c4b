"""Finding a client again, a closed case too: a search by name (GET) or by identity number
(POST, so that the number never travels in a URL), and the recently closed cases. Both
list only clients whose case the user may open on their own ground
(`access.visible_cases`: a worker the cases they are assigned to, open or closed; a team
leader their units' cases; a protected identity only for the staff named on it), and
record whom they showed (`access.record_list`). Managers, evaluators and administrators
see no client, so they have no search."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import Prefetch, Q
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from tillit.audit.models import Action
from tillit.audit.views import IDENTITY_SHAPED, IdentityLookup
from tillit.clients import access
from tillit.clients.models import Assignment, AssignmentRole, Case, CaseStatus, Person
from tillit.lib.http import AuthedRequest
from tillit.lib.queries import counted_page
from tillit.org.models import Role, User

# At most this many clients are shown for a name; more asks for more of the name.
SEARCH_LIMIT = 50
CLOSED_PAGE_SIZE = 30
CLOSED_DAYS = 365  # "recently closed": in the last twelve months


class NameSearch(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        required=False,
        # The browser refuses digits before anything is sent: a number would be in the URL.
        widget=forms.TextInput(attrs={"type": "search", "pattern": r"[^0-9]*"}),
        help_text=gettext_lazy("First name, last name or part of either."),
    )

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if IDENTITY_SHAPED.search(text):
            raise forms.ValidationError(
                _(
                    "Look a client up by identity number with the form below: a number is "
                    "never put in the page's address."
                )
            )
        return text


def _case_work_only(user: User, what: str) -> None:
    """Finding clients is for those who work with them (docs/architecture.md, the roles)."""
    if not user.unit_ids(Role.WORKER, Role.TEAM_LEADER):
        access.refuse(
            user,
            what,
            "list",
            True,
            Action.READ,
            _("Your role sees no client, so there is no client to find."),
        )


def _word(word: str) -> Q:
    """A name that contains `word`, in any case. SQLite folds only ASCII letters, so a
    name's first letter is tried capitalised too ("åsa" finds "Åsa")."""
    found = Q()
    for variant in {word.lower(), word.capitalize()}:
        found |= Q(first_name__icontains=variant) | Q(last_name__icontains=variant)
    return found


def _with_cases(user: User, persons: list[Person]) -> list[Person]:
    """Each person with the cases the user may open (`shown`), newest first."""
    cases = (
        access.visible_cases(user)
        .filter(person__in=persons)
        .select_related("unit")
        .order_by("-opened_on", "-pk")
    )
    by_person: dict[int, list[Case]] = {}
    for case in cases:
        by_person.setdefault(case.person_id, []).append(case)
    for person in persons:
        person.shown = by_person.get(person.pk, [])  # type: ignore[attr-defined]
    return persons


def search(request: AuthedRequest) -> HttpResponse:
    """Find a client among those the user may open, with open or closed cases."""
    user = request.user
    _case_work_only(user, "search")
    visible = Person.objects.filter(pk__in=access.visible_cases(user).values("person_id"))
    names = NameSearch(request.GET or None)
    lookup = IdentityLookup(request.POST or None, prefix="lookup")
    persons: list[Person] | None = None
    if request.method == "POST":
        if lookup.is_valid():
            data = lookup.cleaned_data
            persons = list(
                visible.filter(id_country=data["id_country"], id_number=data["id_number"])
            )
    elif names.is_valid() and names.cleaned_data["q"]:
        query = Q()
        for word in names.cleaned_data["q"].split():
            query &= _word(word)
        persons = list(visible.filter(query)[: SEARCH_LIMIT + 1])
    more = persons is not None and len(persons) > SEARCH_LIMIT
    if persons:
        persons = _with_cases(user, persons[:SEARCH_LIMIT])
    access.record_list(request, "search", [p.pk for p in persons or ()])
    context = {"names": names, "lookup": lookup, "persons": persons, "more": more}
    return render(request, "clients/search.html", context)


def _contact_person() -> Prefetch:
    """Each case's contact person (`contact`): who held the case when it closed."""
    current = Assignment.objects.current().filter(role=AssignmentRole.CONTACT_PERSON)
    return Prefetch("assignments", current.select_related("worker"), to_attr="contact")


@require_safe
def closed(request: AuthedRequest) -> HttpResponse:
    """The cases closed in the last twelve months that the user may open: a worker's own,
    a team leader's units', newest first."""
    user = request.user
    _case_work_only(user, "closed cases")
    since = timezone.localdate() - datetime.timedelta(days=CLOSED_DAYS)
    rows = (
        access.visible_cases(user)
        .filter(status=CaseStatus.CLOSED, closed_on__gte=since)
        .select_related("person", "unit")
        .prefetch_related(_contact_person())
        .order_by("-closed_on", "-pk")
    )
    page = counted_page(rows, request.GET.get("page"), CLOSED_PAGE_SIZE)
    access.record_list(request, "closed", [case.person_id for case in page])
    return render(request, "clients/closed.html", {"page": page, "since": since})
