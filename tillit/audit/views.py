from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST, require_safe

from tillit.audit import events, review
from tillit.audit.models import AccessLog, Action, Sample, SampleItem, Verdict
from tillit.clients import access, services
from tillit.clients.models import Case, EmergencyAccess, Person
from tillit.lib import ids
from tillit.lib.http import AuthedRequest
from tillit.lib.queries import counted_page
from tillit.org import lockout
from tillit.org.models import Membership, Role, User, units_below


def reviewed_units(user: User) -> set[int]:
    """The units whose log a team leader reviews: those they lead and every unit below.
    Log review is the team leaders' work; a manager sees no client (docs/architecture.md)."""
    return units_below(user.unit_ids(Role.TEAM_LEADER))


def _scope(units: set[int]) -> Q:
    """What a leader of `units` reviews (log rows or emergency accesses): by their staff,
    or about their units' clients."""
    staff = Membership.objects.filter(unit_id__in=units, user_id=OuterRef("user_id"))
    clients = Case.objects.filter(unit_id__in=units, person_id=OuterRef("person_id"))
    return Q(Exists(staff)) | Q(Exists(clients))


def _person_matches(text: str) -> Q:
    """A client by number in the log (from a link) or by name. An identity number is
    looked up by IdentityLookup, a POST, so that it never travels in a URL."""
    text = text.strip()
    if text.isdigit() and len(text) < 10:
        return Q(person_id=int(text))
    query = Q()
    for word in text.split():
        query &= Q(person__first_name__icontains=word) | Q(person__last_name__icontains=word)
    return query


IDENTITY_SHAPED = re.compile(r"\d{6}")


class LogFilter(forms.Form):
    staff = forms.ModelChoiceField(
        label=gettext_lazy("Staff"), queryset=User.objects.none(), required=False
    )
    person = forms.CharField(label=gettext_lazy("Client (name)"), required=False, max_length=100)
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), choices=[("", "—"), *Action.choices], required=False
    )
    since = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    emergency_only = forms.BooleanField(
        label=gettext_lazy("Only emergency accesses"), required=False
    )

    def clean_person(self) -> str:
        text = self.cleaned_data["person"]
        if IDENTITY_SHAPED.search(text):
            raise forms.ValidationError(
                _(
                    "Look a client up by identity number with the form below: a number is "
                    "never put in the page's address."
                )
            )
        return text

    def filter(self, rows: QuerySet[AccessLog]) -> QuerySet[AccessLog]:
        data = self.cleaned_data
        if data.get("staff"):
            rows = rows.filter(user=data["staff"])
        if data.get("person"):
            rows = rows.filter(_person_matches(data["person"]))
        if data.get("action"):
            rows = rows.filter(action=data["action"])
        if data.get("since"):
            rows = rows.filter(at__date__gte=data["since"])
        if data.get("until"):
            rows = rows.filter(at__date__lte=data["until"])
        if data.get("emergency_only"):
            rows = rows.filter(emergency__isnull=False)
        return rows


class IdentityLookup(forms.Form):
    id_country = forms.ChoiceField(
        label=gettext_lazy("Identity number type"),
        choices=[(ids.SWEDEN, gettext_lazy("Swedish")), (ids.NORWAY, gettext_lazy("Norwegian"))],
    )
    id_number = forms.CharField(label=gettext_lazy("Identity number"), max_length=20)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("id_country") and data.get("id_number"):
            try:
                data["id_number"] = ids.normalise(data["id_country"], data["id_number"])
            except forms.ValidationError as error:
                self.add_error("id_number", error)
        return data


def log_review(request: AuthedRequest) -> HttpResponse:
    """For team leaders: who looked at what in their units, with emergency accesses to
    review. A client with a protected identity is left out for leaders not named on them.
    A POST looks a client up by identity number and sends the leader to the client's
    rows by their key, so the number never appears in a URL."""
    user = request.user
    units = reviewed_units(user)
    if not units:
        access.refuse(user, "log", "review", False, Action.READ)
    scope = _scope(units) & (Q(person__isnull=True) | access.shown_to(user))
    lookup = IdentityLookup(request.POST or None, prefix="lookup")
    if request.method == "POST" and lookup.is_valid():
        found = (
            AccessLog.objects.filter(
                scope,
                person__id_country=lookup.cleaned_data["id_country"],
                person__id_number=lookup.cleaned_data["id_number"],
            )
            .values_list("person_id", flat=True)
            .first()
        )
        if found:
            access.record_list(request, "log_review", [found])
            return redirect(reverse("audit:review") + f"?person={found}")
        lookup.add_error("id_number", _("No client with that identity number is in your log."))
    form = LogFilter(request.GET or None)
    form.fields["staff"].queryset = User.objects.filter(  # type: ignore[attr-defined]
        memberships__unit_id__in=units
    ).distinct()
    rows = AccessLog.objects.filter(scope).select_related(
        "user", "person", "case__unit", "emergency"
    )
    if form.is_valid():
        rows = form.filter(rows)
    page = counted_page(rows, request.GET.get("page"), 50)
    pending = list(
        EmergencyAccess.objects.filter(
            _scope(units), access.shown_to(user), reviewed_at__isnull=True
        ).select_related("user", "person")
    )
    samples = _samples(user, units)
    sampled = {
        item.log.person_id
        for sample in samples
        for item in sample.shown  # type: ignore[attr-defined]
        if item.log is not None
    }
    shown = {row.person_id for row in page if row.person_id} | {e.person_id for e in pending}
    access.record_list(request, "log_review", shown | sampled)
    undrawn = units - set(
        Sample.objects.filter(unit_id__in=units, month=review.last_month()).values_list(
            "unit_id", flat=True
        )
    )
    return render(
        request,
        "audit/review.html",
        {
            "form": form,
            "lookup": lookup,
            "page": page,
            "pending": pending,
            "samples": samples,
            "last_month": review.last_month() if undrawn else None,
            "verdicts": Verdict.choices,
            "now": datetime.datetime.now(datetime.UTC),
        },
    )


SAMPLE_MONTHS = 3  # how many months of samples log review shows


def _samples(user: User, units: set[int]) -> list[Sample]:
    """The samples of the leader's units from the last months, newest first, each with
    the sampled accesses the leader may see (`shown`): a protected client's rows only for
    staff named on them."""
    since = review.last_month() - datetime.timedelta(days=31 * (SAMPLE_MONTHS - 1))
    samples = list(
        Sample.objects.filter(unit_id__in=units, month__gte=review.month_start(since))
        .select_related("unit")
        .order_by("-month", "unit__name")
    )
    items = (
        SampleItem.objects.filter(sample__in=samples, log__isnull=False)
        .filter(access.shown_to(user, "log__person"))
        .select_related("log__user", "log__person", "log__case__unit", "reviewed_by")
        .order_by("log_id")
    )
    by_sample: dict[int, list[SampleItem]] = {}
    for item in items:
        by_sample.setdefault(item.sample_id, []).append(item)
    for sample in samples:
        sample.shown = by_sample.get(sample.pk, [])  # type: ignore[attr-defined]
        sample.open = len([i for i in sample.shown if not i.verdict])  # type: ignore[attr-defined]
    return samples


class VerdictForm(forms.Form):
    verdict = forms.ChoiceField(label=gettext_lazy("Verdict"), choices=Verdict.choices)
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=2000, widget=forms.Textarea
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("verdict") == Verdict.RAISED and not data.get("note", "").strip():
            self.add_error("note", _("Say what is to be looked into."))
        return data


@require_POST
def sample_mark(request: AuthedRequest, pk: int) -> HttpResponse:
    """A team leader marks a sampled access as expected, or raises it with a note; never
    an access of their own. The review is itself an access log row (action review)."""
    user = request.user
    units = reviewed_units(user)
    item = (
        SampleItem.objects.filter(
            access.shown_to(user, "log__person"), pk=pk, sample__unit_id__in=units
        )
        .select_related("log__person", "sample")
        .first()
        if units
        else None
    )
    if item is None or item.log is None:
        access.refuse(user, "sample item", pk, False, Action.REVIEW)
    assert item is not None and item.log is not None
    if item.log.user_id == user.pk:
        access.refuse(
            user,
            "sample item",
            pk,
            True,
            Action.REVIEW,
            _("An access of your own is reviewed by another team leader."),
        )
    form = VerdictForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(str(e) for e in errors))
        return redirect("audit:review")
    review.mark(item, by=user, **form.cleaned_data)
    access.record(
        request,
        Action.REVIEW,
        person=item.log.person,
        unit_id=item.sample.unit_id,
        detail={"sample": item.sample_id, "log": item.log_id, "verdict": item.verdict},
    )
    messages.success(request, _("The sampled access is marked."))
    return redirect("audit:review")


@require_POST
def sample_draw(request: AuthedRequest) -> HttpResponse:
    """Draw last month's sample of every unit the leader reviews that has none yet (the
    monthly `manage.py audit_sample` does the same)."""
    user = request.user
    units = reviewed_units(user)
    if not units:
        access.refuse(user, "log", "sample", False, Action.REVIEW)
    month = review.last_month()
    drawn = [review.sample_draw(unit_id, month) for unit_id in sorted(units)]
    access.record(
        request,
        Action.REVIEW,
        detail={
            "page": "log_review",
            "samples": [s.pk for s in drawn if s is not None],
            "month": month.isoformat(),
        },
    )
    messages.success(request, _("The month's samples are drawn."))
    return redirect("audit:review")


@require_POST
def emergency_reviewed(request: AuthedRequest, pk: int) -> HttpResponse:
    """A team leader marks an emergency access reviewed; never the one who took it."""
    user = request.user
    units = reviewed_units(user)
    emergency = (
        EmergencyAccess.objects.filter(_scope(units), access.shown_to(user), pk=pk).first()
        if units
        else None
    )
    if emergency is None:
        access.refuse(user, "emergency", pk, False, Action.REVIEW)
    assert emergency is not None
    if emergency.user_id == user.pk:
        access.refuse(
            user,
            "emergency",
            pk,
            True,
            Action.REVIEW,
            _("An emergency access is reviewed by another team leader than the one who took it."),
        )
    services.emergency_access_review(actor=user, access=emergency, path=request.path)
    messages.success(request, _("The emergency access is marked reviewed."))
    return redirect("audit:review")


# -- lockouts: a team leader lifts those of their units' staff and clients ------------------


def _lockable(user: User, units: set[int]) -> QuerySet[User]:
    """The accounts whose lockouts a leader of `units` may see and lift: their units'
    staff, and the portal logins of clients with a case in them (a protected client only
    for the staff named on them)."""
    clients = Q(client_account__person__cases__unit_id__in=units) & access.shown_to(
        user, "client_account__person"
    )
    return User.objects.filter(Q(memberships__unit_id__in=units) | clients).distinct()


@dataclass
class LockedAccount:
    account: User
    person: Person | None  # for a client's portal login
    locked: lockout.Locked


@require_safe
def lockouts(request: AuthedRequest) -> HttpResponse:
    """For team leaders: the logins of their units' staff and clients that are locked out
    now (tillit/org/lockout.py), each with a button to lift it. The clients listed are
    recorded, as on every page that lists clients."""
    user = request.user
    units = reviewed_units(user)
    if not units:
        access.refuse(user, "lockouts", "list", False, Action.READ)
    locked = lockout.current()
    accounts = (
        list(
            _lockable(user, units)
            .annotate(lower=Lower("username"))
            .filter(lower__in=list(locked))
            .select_related("client_account__person")
            .order_by("is_client", "first_name", "last_name", "pk")
        )
        if locked
        else []
    )
    rows = [
        LockedAccount(
            account,
            account.client_account.person if account.is_client else None,
            locked[account.lower],
        )
        for account in accounts
    ]
    access.record_list(request, "lockouts", [r.person.pk for r in rows if r.person])
    return render(request, "audit/lockouts.html", {"rows": rows})


class LiftForm(forms.Form):
    account = forms.IntegerField(min_value=1, max_value=2**63 - 1)


@require_POST
def lockout_lift(request: AuthedRequest) -> HttpResponse:
    """A team leader lifts the lockout of an account of their units, from every address;
    never their own (another leader or an administrator does that). The lift is an access
    log row (lockout_lift) whose user is the leader, naming the account in its detail, and
    a line in the security log. Someone outside their units is a 404."""
    user = request.user
    units = reviewed_units(user)
    form = LiftForm(request.POST)
    account = None
    if units and form.is_valid():
        account = _lockable(user, units).filter(pk=form.cleaned_data["account"]).first()
    if account is None:
        access.refuse(user, "account", "lift", False, Action.LOCKOUT_LIFT)
    assert account is not None
    if account.pk == user.pk:
        access.refuse(
            user,
            "account",
            account.pk,
            True,
            Action.LOCKOUT_LIFT,
            _("A lockout of your own is lifted by another team leader or an administrator."),
        )
    name = account.get_username()
    count = lockout.lift(name)
    lockout.log_lift(username=name, by=user.get_username(), count=count)
    in_units = (
        account.unit_ids()
        if not account.is_client
        else set(
            Case.objects.filter(person__account__user=account).values_list("unit_id", flat=True)
        )
    )
    events.record(
        Action.LOCKOUT_LIFT,
        user=user,
        request=request,
        unit_id=min(in_units & units, default=None),
        detail={"account": {"id": account.pk, "username": name}, "attempts": count},
    )
    shown = account.client_account.person.full_name if account.is_client else str(account)
    if count:
        messages.success(request, _("The lockout of %(name)s is lifted.") % {"name": shown})
    else:
        messages.info(request, _("%(name)s was not locked out.") % {"name": shown})
    return redirect("audit:lockouts")
