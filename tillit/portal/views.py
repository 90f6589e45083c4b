"""The client portal: the client's own pages (plain language, phone first), and the two
staff actions that open it: a one-time code, and releasing a signed entry to the client.

Every client page starts with `access.get_own_person`, which finds the person from the
client's account (never from the URL) and writes the audit row."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from tillit.audit.models import AccessLog, Action, Ground, Listed
from tillit.clients import access
from tillit.clients.models import Assignment, AssignmentRole, JournalEntry
from tillit.feedback.views import checks_over_meetings
from tillit.lib.http import AuthedRequest, told
from tillit.lib.portal import client_page
from tillit.lib.qr import qr_svg
from tillit.lib.queries import counted_page
from tillit.org.login import ClientLoginForm
from tillit.plans.models import Plan
from tillit.portal import services
from tillit.portal.forms import ActivationForm, CommentForm
from tillit.portal.models import ClientAccount

login_view = login_not_required(
    LoginView.as_view(
        template_name="portal/login.html",
        redirect_authenticated_user=True,
        authentication_form=ClientLoginForm,
    )
)


@login_not_required
@sensitive_post_parameters("code", "password", "password_again")
@never_cache
def activate(request: AuthedRequest) -> HttpResponse:
    """The client types the code from their letter and chooses a user name and password."""
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.account_activate(
                code=data["code"], username=data["username"], password=data["password"]
            )
        except ValidationError as error:
            form.add_error("username" if error.code == "username" else "code", error)
        else:
            login(request, user, backend="tillit.org.backends.UserWithRoles")
            return redirect("portal:home")
    return render(request, "portal/activate.html", {"form": form})


@client_page
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """My page: my contact person, and what has been shared with me from my journal."""
    person = access.get_own_person(request)
    contacts = (
        Assignment.objects.current()
        .filter(case__person=person, case__closed_on__isnull=True)
        .filter(role=AssignmentRole.CONTACT_PERSON)
        .select_related("worker", "case__unit")
    )
    # The plans in force (shared or signed, not replaced), for their next review dates.
    plans = (
        Plan.objects.for_client()
        .filter(case__person=person, replaced_by__isnull=True)
        .prefetch_related("reviews")
    )
    entries = (
        JournalEntry.objects.filter(case__person=person, release__isnull=False)
        .current()
        .select_related("signed_by")
        .prefetch_related("client_comments")[:50]
    )
    context = {
        "person": person,
        "contacts": contacts,
        "plans": plans,
        "entries": entries,
        "form": CommentForm(),
    }
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME):
        return render(request, "portal/home.html", context)
    # The client has not chosen a language here yet: their own, as their worker recorded
    # it, not the browser's (they can still switch, which sets the cookie).
    language = person.preferred_language
    with translation.override(language):
        response = render(request, "portal/home.html", context)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@client_page
@require_POST
def comment(request: AuthedRequest, pk: int) -> HttpResponse:
    """The client's own words on an entry shared with them."""
    person, grant = access.own_person(request, Action.CREATE)
    entry = JournalEntry.objects.filter(pk=pk, case__person=person, release__isnull=False).first()
    if entry is None:
        access.refuse(request.user, "entry", pk, False, Action.CREATE)
    assert entry is not None
    access.record(request, Action.CREATE, grant=grant, person=person)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(person=person, entry=entry, text=form.cleaned_data["text"])
        messages.success(request, _("Thank you. Your words are saved with the note."))
    else:
        messages.error(request, _("Write something before you send."))
    return redirect(reverse("portal:home") + f"#entry-{entry.pk}")


@client_page
@require_safe
def feedback(request: AuthedRequest) -> HttpResponse:
    """My checks over meetings: the same chart and table the worker sees."""
    person = access.get_own_person(request)
    return render(
        request,
        "portal/feedback.html",
        {"person": person, **checks_over_meetings(list(person.cases.all()))},
    )


@client_page
@require_safe
def readers(request: AuthedRequest) -> HttpResponse:
    """Who has read my records: every look at them, from the audit log."""
    person = access.get_own_person(request)
    listed = Listed.objects.filter(person=person).values("log_id")
    rows = (
        AccessLog.objects.filter(Q(person=person) | Q(pk__in=listed))
        .exclude(role=Ground.SELF)
        .select_related("user")
    )
    page = counted_page(rows, request.GET.get("page"), 50)
    for row in page:
        row.what = what_was_read(row)
    return render(request, "portal/readers.html", {"person": person, "page": page})


# What part of the records a look was at, by the app of the page's URL.
PARTS = {
    "clients": gettext_lazy("your journal"),
    "assessment": gettext_lazy("your assessment"),
    "plans": gettext_lazy("your plan"),
    "feedback": gettext_lazy("your answers after meetings"),
    "bam": gettext_lazy("your weak and strong moments"),
    "network": gettext_lazy("your network"),
    "outcomes": gettext_lazy("your interventions"),
    "groups": gettext_lazy("your group"),
    "decisions": gettext_lazy("your decisions"),
    "followup": gettext_lazy("your follow-up after the case closed"),
    "portal": gettext_lazy("a letter with a code for these pages"),
}
PAGES = {
    "plans:pdf": gettext_lazy("your plan, printed as a PDF"),
    "decisions:letter": gettext_lazy("a decision letter to you, printed as a PDF"),
    "clients:emergency": gettext_lazy("emergency access to your records"),
    "audit:emergency_reviewed": gettext_lazy("a review of an emergency access"),
}


def what_was_read(row: AccessLog) -> str:
    """What kind of page a row of "who has read my records" was: a list that showed the
    client's name, or a part of their records."""
    if row.person_id is None and row.page_label:
        return _("your name in %(page)s") % {"page": row.page_label}
    try:
        match = resolve(row.path)
    except Resolver404:
        return _("your records")
    return str(PAGES.get(match.view_name) or PARTS.get(match.app_name) or _("your records"))


# -- staff ---------------------------------------------------------------------------------


@require_POST
@never_cache
def code_new(request: AuthedRequest, pk: int) -> HttpResponse:
    """A worker on the case prints a letter with a one-time code that opens the portal for
    the client. The code is shown once, here, and only its hash is kept. A code for a
    client who already has an account replaces their login when used, so only a team
    leader issues it (never under emergency access, which writes nothing)."""
    granted = access.person_access(request.user, pk, Action.CREATE)
    replaces = ClientAccount.objects.filter(person=granted.person, user__is_active=True).exists()
    if replaces and granted.grant.ground != "team_leader":
        access.refuse(
            request.user,
            "person",
            pk,
            True,
            Action.CREATE,
            _(
                "This client already has a login to their own pages. A new code would replace "
                "it: ask your team leader to issue one if the client has lost theirs."
            ),
        )
    access.record(
        request,
        Action.CREATE,
        grant=granted.grant,
        person=granted.person,
        detail={"portal_code": "replaces_login" if replaces else "first"},
    )
    row, code = services.activation_code_create(actor=request.user, person=granted.person)
    portal_url = request.build_absolute_uri(reverse("portal:activate"))
    with translation.override(granted.person.preferred_language):  # the letter's language
        # The address only: the code stays on paper, out of any URL.
        portal_qr = qr_svg(portal_url, _("QR code of the address, for your phone's camera"))
    return render(
        request,
        "portal/letter.html",
        {
            "person": granted.person,
            "code": code,
            "expires_at": row.expires_at,
            "portal_url": portal_url,
            "portal_qr": portal_qr,
        },
    )


@require_POST
def release(request: AuthedRequest, pk: int) -> HttpResponse:
    """Share a signed journal entry with the client in the portal."""
    entry, _grant = access.get_entry_for(request, pk, Action.UPDATE)
    with told(request, _("The entry is shared with the client.")):
        services.entry_release(actor=request.user, entry=entry)
    return redirect(reverse("clients:person", args=[entry.case.person_id]) + f"#entry-{entry.pk}")
