"""Walk the whole URLconf: every pattern is listed (tillit/tests/urls_listed.py) with what
it shows, and every URL that shows a client's data refuses the wrong personas and writes
exactly one audit row for the right ones, by every method it takes. A new pattern that is
not listed fails the suite."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.clients import services
from tillit.clients.models import Handover
from tillit.conftest import client_for
from tillit.lib.portal import is_client_page
from tillit.tests.urls_listed import (  # noqa: F401  (the header walk reads them here too)
    ADMIN,
    AUTHENTICATED,
    CLIENT_DATA,
    CLIENTS,
    ENTRY,
    LEADERS,
    NOW,
    OWN,
    PERSONAS,
    PUBLIC,
    STAFF,
    URLS,
    Url,
)


def url_names(patterns=None, namespace="") -> set[str]:
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
        elif isinstance(pattern, URLPattern):
            names.add(f"{namespace}<unnamed {pattern.pattern}>")
    return names


def test_every_url_pattern_is_listed():
    names = {name for name in url_names() if not name.startswith("admin:")}
    assert names == set(URLS), "list new URL patterns in URLS with what they show"


@pytest.fixture
def emergency(colleague, person):
    return services.emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )


@pytest.fixture
def alert(entry):
    from tillit.feedback.tests.test_collect import record

    return record(entry, "relationship", 2).alerts.get()


@pytest.fixture
def moment(case, worker):
    from tillit.factories import MomentFactory

    return MomentFactory(case=case, written_by=worker)


@pytest.fixture
def released(entry, worker):
    from tillit.portal.services import entry_release

    entry_release(actor=worker, entry=entry)
    return entry


@pytest.fixture
def decisions(case, worker):
    from tillit.decisions.tests.data import url_objects

    return url_objects(case, worker)


@pytest.fixture
def plans(case, worker):
    from tillit.plans.tests.data import url_objects

    return url_objects(case, worker)


@pytest.fixture
def assessment(case, worker):
    from tillit.assessment.services import assessment_start

    return assessment_start(actor=worker, case=case)


@pytest.fixture
def shared_assessment(case, worker):
    from tillit.assessment.services import assessment_share, assessment_start

    return assessment_share(assessment=assessment_start(actor=worker, case=case))


@pytest.fixture
def intervention(case, worker):
    from tillit.org.models import Method
    from tillit.outcomes.models import Intervention

    return Intervention.objects.create(
        case=case,
        kind="method",
        method=Method.objects.get(key="bam"),
        name="BaM",
        started_on="2026-01-05",
        created_by=worker,
    )


@pytest.fixture
def member(person, worker):
    from tillit.network import services as network

    member = network.member_add(
        actor=worker, person=person, circle=1, name="Mona", relation="family"
    )
    network.consent_give(actor=worker, member=member, purpose="invite")
    return member


@pytest.fixture
def consent(member):
    return member.consents.get()


@pytest.fixture
def conference(case, worker, member):
    from tillit.network import services as network

    conference = network.conference_request(
        actor=worker, case=case, questions="Who helps?", agreement="Yes"
    )
    network.conference_appoint(conference=conference, name="Eva Samordnare")
    network.invite(actor=worker, member=member, conference=conference)
    return conference


@pytest.fixture
def meeting(case, worker, member):
    from tillit.network import services as network

    return network.meeting_record(
        actor=worker,
        case=case,
        members=[member],
        held_on=timezone.localdate(),
        kind="network",
        purpose="Plan the summer",
    )


@pytest.fixture
def group(unit, worker, person, case):
    from tillit.groups import services as groups
    from tillit.groups.models import Group

    group = Group.objects.create(unit=unit, name="Drop-in", kind="drop_in", created_by=worker)
    groups.member_join(group=group, person=person, on=timezone.localdate())
    return group


@pytest.fixture
def attendance(group, worker):
    from tillit.groups import services as groups

    member = group.members.get()
    session = groups.session_record(
        actor=worker,
        group=group,
        held_on=timezone.localdate(),
        theme="",
        members=[member],
        present={member.pk},
    )
    return session.attendance.get()


@pytest.fixture
def sample_item(case, worker, person):
    """The worker's look at the client, in the unit's sample of last month."""
    from tillit.audit import review
    from tillit.audit.models import Sample, SampleItem

    log = AccessLog.objects.create(
        user=worker, role="assigned", unit=case.unit, person=person, case=case, action="read"
    )
    sample = Sample.objects.create(
        unit=case.unit, month=review.last_month(), seed=1, size=10, population=1
    )
    return SampleItem.objects.create(sample=sample, log=log)


@pytest.fixture
def handover(case, other_unit, worker):
    return Handover.objects.create(
        case=case, from_unit=case.unit, to_unit=other_unit, note="Over to you.", sent_by=worker
    )


@pytest.fixture
def objects(
    handover,
    sample_item,
    attendance,
    plans,
    decisions,
    moment,
    intervention,
    person,
    case,
    entry,
    draft,
    unit,
    emergency,
    alert,
    released,
    assessment,
    shared_assessment,
    personas,
    member,
    consent,
    conference,
    meeting,
    group,
):
    return {
        "handover": handover,
        "sample_item": sample_item,
        "attendance": attendance,
        **plans,
        **decisions,
        "moment": moment,
        "intervention": intervention,
        "assessment": assessment,
        "answer": assessment.answers.first(),
        "shared_assessment": shared_assessment,
        "shared_answer": shared_assessment.answers.first(),
        "released": released,
        "alert": alert,
        "person": person,
        "case": case,
        "entry": entry,
        "draft": draft,
        "unit": unit,
        "emergency": emergency,
        # network
        "member": member,
        "consent": consent,
        "conference": conference,
        "meeting": meeting,
        # groups
        "group": group,
        "group_member": group.members.get(),
        # closing and follow-up: a closed case of another client of the unit
        **followup_objects(unit, personas["worker"]),
        # the client survey: a running period of the unit
        **survey_objects(unit, personas["leader"]),
        # services without needs assessment: a service of the unit
        **outcomes_objects(unit),
        # an evaluator's extract of the unit, waiting, and a run of another, approved
        **extract_objects(unit),
    }


def extract_objects(unit) -> dict:  # type: ignore[no-untyped-def]
    from tillit.extracts.tests.data import url_objects

    return url_objects(unit)


def survey_objects(unit, leader) -> dict:  # type: ignore[no-untyped-def]
    from tillit.survey.tests.data import url_objects

    return url_objects(unit, leader)


def followup_objects(unit, worker) -> dict:  # type: ignore[no-untyped-def]
    from tillit.followup.tests.data import url_objects

    return url_objects(unit, worker)


def outcomes_objects(unit) -> dict:  # type: ignore[no-untyped-def]
    from tillit.outcomes.tests.data import url_objects

    return url_objects(unit)


CSRF_SECRET = "tillitcsrfsecretfortheurlwalk123"  # 32 characters, as the cookie holds


def csrf_client(user=None) -> Client:
    """A test client that enforces CSRF as a browser meets it: the token comes from the
    cookie and goes back in the form's field (here, the header htmx sends)."""
    client = Client(enforce_csrf_checks=True, HTTP_X_CSRFTOKEN=CSRF_SECRET)
    client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    if user is not None:
        client.force_login(user)
    return client


def _request(url_name: str, method: str, user, objects, personas, client=None):
    spec = URLS[url_name]
    data, _action = spec.methods()[method]
    args = [objects[spec.args].pk] if spec.args else []
    data = {k: personas[v].pk if v in personas else v for k, v in data.items()}
    client = client or csrf_client(user)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(reverse(url_name, args=args), data)
    return response, queries


CLIENT_PAGES = {name for name, spec in URLS.items() if spec.allowed & OWN}
CLIENT_URLS = [name for name, spec in URLS.items() if spec.category == CLIENT_DATA]
CLIENT_REQUESTS = [(name, method) for name in CLIENT_URLS for method in URLS[name].methods()]
ALL_METHODS = ("get", "post", "put", "patch", "delete", "options")


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("url_name", "method"), CLIENT_REQUESTS)
def test_client_data_url_applies_policy_and_audits(
    url_name, method, persona, objects, personas, emergency
):
    spec = URLS[url_name]
    if url_name != "audit:emergency_reviewed":
        # The emergency fixture is for the review URL; elsewhere it must not open doors.
        emergency.expires_at = timezone.now()
        emergency.save()
    before = AccessLog.objects.count()

    response, queries = _request(url_name, method, personas[persona], objects, personas)

    written = AccessLog.objects.count() - before
    if method == "get":
        assert_a_read_writes_only_its_audit_row(queries)
    if persona in spec.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        assert written == 1
        row = AccessLog.objects.latest("id")
        assert row.user == personas[persona]
        assert row.action == spec.methods()[method][1], f"{method} recorded as {row.action}"
        assert b"data-conflict" not in response.content  # the walk's writes really save
        if persona in CLIENTS:
            assert row.person == personas[persona].client_account.person
    elif persona in CLIENTS and not is_client_page(resolve(response.request["PATH_INFO"]).func):
        # A client's login opens the portal and nothing else.
        assert response.status_code == 302
        assert response["Location"] == reverse("portal:home")
        assert written == 0
    else:
        expected = 403 if persona in spec.forbidden else 404
        assert response.status_code == expected
        assert written == 0


@pytest.mark.parametrize("url_name", [n for n in URLS if URLS[n].category != PUBLIC])
def test_every_other_method_gets_405_and_writes_nothing(url_name, objects, personas):
    """The methods a view was not written for are refused before it runs, for the persona
    it is open to: PUT, PATCH, DELETE and OPTIONS everywhere, POST to a page that only
    shows, GET to an action that only posts."""
    spec = URLS[url_name]
    allowed = sorted(spec.allowed - OWN) or sorted(spec.allowed)
    user = personas[allowed[0]] if spec.category == CLIENT_DATA else personas["leader"]
    before = AccessLog.objects.count()
    for method in ALL_METHODS:
        if method in spec.methods():
            continue
        args = [objects[spec.args].pk] if spec.args else []
        response = getattr(csrf_client(user), method)(reverse(url_name, args=args))
        assert response.status_code == 405, f"{method.upper()} {url_name}"
    assert AccessLog.objects.count() == before


# The one-time links need their token in the URL (tillit/feedback/tests/test_collect.py,
# tillit/followup/tests/test_link.py).
ONE_TIME_LINKS = ("feedback:link", "followup:link", "survey:answer")


@pytest.mark.parametrize(
    "url_name", [n for n in URLS if "post" in URLS[n].methods() and n not in ONE_TIME_LINKS]
)
def test_a_post_without_the_csrf_token_is_refused(url_name, objects, personas):
    spec = URLS[url_name]
    user = personas[sorted(spec.allowed)[0]] if spec.category == CLIENT_DATA else None
    client = Client(enforce_csrf_checks=True)
    if user is not None:
        client.force_login(user)
    before = AccessLog.objects.count()
    response, _queries = _request(url_name, "post", user, objects, personas, client=client)
    assert response.status_code == 403
    assert AccessLog.objects.count() == before


@pytest.mark.parametrize("url_name", [n for n, s in URLS.items() if s.category != PUBLIC])
def test_anonymous_is_sent_to_login(url_name, objects, client):
    spec = URLS[url_name]
    args = [objects[spec.args].pk] if spec.args else []
    response = getattr(client, spec.method)(reverse(url_name, args=args))
    assert response.status_code == 302
    login = reverse("portal:login" if url_name in CLIENT_PAGES else "login")
    assert response["Location"].startswith(login)


@pytest.mark.parametrize("url_name", [n for n, s in URLS.items() if s.category == AUTHENTICATED])
def test_authenticated_pages_open_for_staff(url_name, worker):
    client = client_for(worker)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(url_name), follow=True)
    assert response.status_code == 200
    assert_a_read_writes_only_its_audit_row(queries)


def assert_a_read_writes_only_its_audit_row(queries: CaptureQueriesContext) -> None:
    """A GET runs outside a transaction (tillit.lib.middleware): it may write nothing but
    its audit row and the clients it lists, which then commit on their own (and its
    session, which the session middleware saves after the view in any case)."""
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    others = [
        sql
        for sql in writes
        if not re.match(r'\w+ (INTO )?"(audit_accesslog|audit_listed|django_session)"', sql)
    ]
    assert others == []


def test_admin_is_for_administrators_only(worker, administrator):
    assert client_for(worker).get(reverse("admin:index")).status_code == 302
    assert client_for(administrator).get(reverse("admin:index")).status_code == 200


def test_admin_does_not_expose_client_data():
    from django.contrib import admin

    registered = {model._meta.label for model in admin.site._registry}
    assert not registered & {
        "clients.Person",
        "clients.Case",
        "clients.JournalEntry",
        "audit.AccessLog",
    }


# -- a protected identity is in no response to staff not named on it ----------------------


@pytest.fixture
def secret(unit, worker, group, objects):
    """A client with a protected identity in the unit, in every list a person can be in: a
    case with a worker named on them, a member of the group, a family group conference,
    rows in the log, a pending emergency access. Their names and number are unusual, so
    that any response showing them is caught."""
    from tillit.clients.models import EmergencyAccess
    from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UserFactory
    from tillit.groups import services as groups
    from tillit.network import services as network
    from tillit.org.models import Role

    named = UserFactory.member(unit, Role.WORKER, username="named")
    person = PersonFactory(
        first_name="Hemligsdotter", last_name="Skyddadsson", protected_identity=True
    )
    person.named_staff.add(named)
    case = CaseFactory(person=person, unit=unit)
    AssignmentFactory(case=case, worker=named)
    groups.member_join(group=group, person=person, on=timezone.localdate())
    network.conference_request(actor=named, case=case, questions="Who?", agreement="Yes")
    AccessLog.objects.create(user=named, role="assigned", person=person, case=case, action="read")
    AccessLog.objects.create(user=worker, role="assigned", person=person, action="read")
    EmergencyAccess.objects.create(
        user=worker,
        person=person,
        category="risk",
        reason="Before the identity was protected",
        expires_at=timezone.now(),
    )
    return person, named


def _shows(response, person) -> bool:
    if not response.get("Content-Type", "").startswith("text/html"):
        return False
    body = response.content.decode()
    digits = person.id_number.replace("-", "")
    return any(
        text in body
        for text in (person.first_name, person.last_name, person.id_number, digits, digits[2:])
    )


@pytest.mark.parametrize("url_name", [n for n in URLS if n not in ("logout", *ONE_TIME_LINKS)])
def test_a_protected_identity_is_shown_to_no_one_not_named_on_it(
    url_name, secret, objects, personas
):
    person, _named = secret
    spec = URLS[url_name]
    for persona in PERSONAS:
        for method in spec.methods():
            response, _queries = _request(url_name, method, personas[persona], objects, personas)
            assert not _shows(response, person), f"{method.upper()} {url_name} as {persona}"


def test_the_named_staff_see_the_protected_client_in_their_lists(secret, personas, objects):
    """The walk above can fail: the same lists show the person to the one named on them."""
    person, named = secret
    for url_name in ["clients:caseload", "groups:group"]:
        response, _queries = _request(url_name, "get", named, objects, personas)
        assert _shows(response, person), url_name
