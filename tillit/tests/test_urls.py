"""Walk the whole URLconf: every pattern is listed here with what it shows, and every URL
that shows a client's data refuses the wrong personas and writes exactly one audit row
for the right ones. A new pattern that is not listed fails the suite."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.clients import services
from tillit.conftest import client_for
from tillit.lib.portal import is_client_page

PUBLIC, AUTHENTICATED, CLIENT_DATA, ADMIN = "public", "authenticated", "client_data", "admin"
STAFF = ["worker", "colleague", "outsider", "leader", "other_leader", "administrator"]
CLIENTS = ["client_self", "client_other"]
PERSONAS = STAFF + CLIENTS
# Each client's own pages in the portal: the person comes from the login, never the URL.
OWN = frozenset(CLIENTS)
# Staff data for team leaders and managers (no client data, no audit row); everyone else
# gets 403. See tillit/org/tests/test_methods.py.
LEADERS = "leaders"


@dataclass
class Url:
    category: str
    method: str = "get"
    args: str = ""  # the fixture whose pk goes in the URL
    data: dict = field(default_factory=dict)
    allowed: frozenset = frozenset({"worker", "leader"})
    forbidden: frozenset = frozenset({"colleague"})  # 403; the rest get 404


NOW = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
URLS = {
    "login": Url(PUBLIC),
    "logout": Url(PUBLIC, "post"),
    "set_language": Url(PUBLIC, "post"),
    "home": Url(AUTHENTICATED),
    "clients:person_new": Url(AUTHENTICATED),
    "clients:emergency": Url(AUTHENTICATED),
    # Lists of the user's own clients: every persona may open it, each look is logged.
    "clients:caseload": Url(CLIENT_DATA, allowed=frozenset(STAFF), forbidden=frozenset()),
    "clients:person": Url(CLIENT_DATA, args="person"),
    "clients:entry_create": Url(
        CLIENT_DATA, "post", "case", {"happened_at": NOW, "kind": "phone", "text": "Called."}
    ),
    "clients:entry_edit": Url(
        CLIENT_DATA,
        args="draft",
        allowed=frozenset({"worker"}),
        forbidden=frozenset({"colleague", "leader"}),
    ),
    "clients:entry_sign": Url(
        CLIENT_DATA,
        "post",
        "draft",
        allowed=frozenset({"worker"}),
        forbidden=frozenset({"colleague", "leader"}),
    ),
    "clients:entry_correct": Url(CLIENT_DATA, args="entry"),
    "clients:case_assign": Url(
        CLIENT_DATA,
        "post",
        "case",
        {"worker": "colleague"},
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "clients:case_status": Url(CLIENT_DATA, "post", "case", {"status": "follow_up"}),
    "feedback:mine": Url(CLIENT_DATA, allowed=frozenset(STAFF), forbidden=frozenset()),
    "feedback:meeting": Url(CLIENT_DATA, args="entry"),
    "feedback:paper": Url(CLIENT_DATA, args="entry"),
    "feedback:person": Url(CLIENT_DATA, args="person"),
    "feedback:alert_close": Url(CLIENT_DATA, args="alert"),
    # The client-facing screens show questions only, never record data; see
    # tillit/feedback/tests/test_collect.py for their audit and lock.
    "feedback:answer": Url(AUTHENTICATED),
    "feedback:unlock": Url(AUTHENTICATED),
    "feedback:link": Url(PUBLIC),
    "clients:unit": Url(
        CLIENT_DATA,
        args="unit",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "portal:login": Url(PUBLIC),
    "portal:activate": Url(PUBLIC),
    "portal:home": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:feedback": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:readers": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:comment": Url(
        CLIENT_DATA,
        "post",
        "released",
        {"text": "Not how I see it."},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
    ),
    "portal:code_new": Url(CLIENT_DATA, "post", "person"),
    "portal:release": Url(CLIENT_DATA, "post", "entry"),
    "assessment:person": Url(CLIENT_DATA, args="person"),
    "assessment:start": Url(CLIENT_DATA, "post", "case"),
    "assessment:detail": Url(CLIENT_DATA, args="assessment"),
    "assessment:area_save": Url(CLIENT_DATA, "post", "answer"),
    "assessment:share": Url(CLIENT_DATA, "post", "assessment"),
    "assessment:view": Url(CLIENT_DATA, "post", "assessment", {"view": "agrees"}),
    "assessment:finish": Url(CLIENT_DATA, "post", "assessment"),
    "assessment:instrument": Url(CLIENT_DATA, "post", "assessment", {"date": "2026-01-05"}),
    "assessment:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "assessment:client_area_save": Url(
        CLIENT_DATA,
        "post",
        "shared_answer",
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
    ),
    "assessment:client_view": Url(
        CLIENT_DATA,
        "post",
        "shared_assessment",
        {"view": "agrees"},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
    ),
    "outcomes:person": Url(CLIENT_DATA, args="person"),
    "outcomes:add": Url(
        CLIENT_DATA, "post", "case", {"kind": "method", "name": "BaM", "started_on": "2026-01-05"}
    ),
    "outcomes:end": Url(CLIENT_DATA, "post", "intervention", {"ended_on": "2026-02-01"}),
    "bam:person": Url(CLIENT_DATA, args="person"),
    "bam:patterns": Url(CLIENT_DATA, args="person"),
    "bam:moment_new": Url(
        CLIENT_DATA, "post", "case", {"kind": "weak", "happened_at": NOW, "title": "Payday"}
    ),
    "bam:board": Url(CLIENT_DATA, args="moment"),
    "bam:board_mode": Url(CLIENT_DATA, args="moment"),
    "bam:moment_edit": Url(CLIENT_DATA, args="moment"),
    "bam:note_add": Url(
        CLIENT_DATA, "post", "moment", {"column": "antecedent", "text": "Payday, alone"}
    ),
    "org:methods": Url(LEADERS),
    "bam:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "bam:mine_new": Url(
        CLIENT_DATA,
        "post",
        data={"kind": "strong", "happened_at": NOW, "title": "Sa nej"},
        allowed=frozenset({"client_self"}),  # the other client has no open case
        forbidden=frozenset(),
    ),
    "plans:person": Url(CLIENT_DATA, args="person"),
    "plans:plan": Url(CLIENT_DATA, args="plan"),
    "plans:goal_add": Url(CLIENT_DATA, "post", "plan", {"text": "Ett eget boende", "why": ""}),
    "plans:goal_edit": Url(CLIENT_DATA, "post", "goal", {"text": "Jobb", "why": "", "revision": 1}),
    "plans:step_add": Url(CLIENT_DATA, "post", "goal", {"text": "Ringa", "doer": "client"}),
    "plans:step_edit": Url(
        CLIENT_DATA, "post", "step", {"text": "Ringa", "doer": "client", "revision": 1}
    ),
    "plans:goal_remove": Url(CLIENT_DATA, "post", "goal"),
    "plans:step_remove": Url(CLIENT_DATA, "post", "step"),
    "plans:consent": Url(CLIENT_DATA, "post", "participant", {"consent": "yes"}),
    "plans:participant_add": Url(
        CLIENT_DATA, "post", "plan", {"name": "Eva", "agency": "Vårdcentralen"}
    ),
    "plans:review_add": Url(
        CLIENT_DATA, "post", "plan", {"held_on": "2026-01-10", "happened": "Det gick bra."}
    ),
    "plans:share": Url(CLIENT_DATA, "post", "plan"),
    "plans:sign": Url(CLIENT_DATA, "post", "shared_plan"),
    "plans:new_version": Url(CLIENT_DATA, "post", "signed_plan"),
    "plans:pdf": Url(CLIENT_DATA, args="signed_plan"),
    "plans:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "plans:own": Url(
        CLIENT_DATA, args="shared_plan", allowed=frozenset({"client_self"}), forbidden=frozenset()
    ),
    "plans:respond": Url(
        CLIENT_DATA,
        "post",
        "signed_plan",
        {"accepted": "yes"},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
    ),
    "plans:own_pdf": Url(
        CLIENT_DATA, args="signed_plan", allowed=frozenset({"client_self"}), forbidden=frozenset()
    ),
    "audit:review": Url(
        CLIENT_DATA, allowed=frozenset({"leader", "other_leader"}), forbidden=frozenset()
    ),
    "audit:emergency_reviewed": Url(
        CLIENT_DATA, "post", "emergency", allowed=frozenset({"leader"}), forbidden=frozenset()
    ),
    # The network app: a network member's data is the client's data.
    "network:map": Url(CLIENT_DATA, args="person"),
    "network:member_add": Url(
        CLIENT_DATA, "post", "person", {"name": "Sam", "relation": "friend", "circle": "1"}
    ),
    "network:member": Url(CLIENT_DATA, args="member"),
    "network:member_move": Url(CLIENT_DATA, "post", "member", {"circle": "3"}),
    "network:member_end": Url(CLIENT_DATA, "post", "member", {"reason": "Moved away"}),
    "network:consent_give": Url(
        CLIENT_DATA, "post", "member", {"purpose": "share", "given_on": NOW[:10]}
    ),
    "network:consent_withdraw": Url(CLIENT_DATA, "post", "consent"),
    "network:conference_new": Url(CLIENT_DATA, args="case"),
    "network:conference": Url(CLIENT_DATA, args="conference"),
    "network:unit_conferences": Url(
        CLIENT_DATA,
        args="unit",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "network:meeting_new": Url(CLIENT_DATA, args="case"),
    "network:meeting": Url(CLIENT_DATA, args="meeting"),
    # Groups: the list shows group names and sizes only; a group's page names its members
    # (tillit.clients.access.get_group_for).
    "groups:mine": Url(AUTHENTICATED),
    "groups:new": Url(AUTHENTICATED),
    "groups:group": Url(CLIENT_DATA, args="group"),
    "groups:member_leave": Url(CLIENT_DATA, "post", "group_member"),
    # The group check is taken in the member's case: its access helper decides.
    "groups:session_check": Url(CLIENT_DATA, "post", "attendance"),
}


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
    return services.emergency_access_open(actor=colleague, person=person, reason="Called at night")


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
    from tillit.outcomes.models import Intervention

    return Intervention.objects.create(
        case=case, kind="method", name="BaM", started_on="2026-01-05", created_by=worker
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
def objects(
    attendance,
    plans,
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
        "attendance": attendance,
        **plans,
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
    }


def _request(url_name: str, spec: Url, user, objects, personas):
    args = [objects[spec.args].pk] if spec.args else []
    data = {k: personas[v].pk if v in personas else v for k, v in spec.data.items()}
    client = client_for(user)
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, spec.method)(reverse(url_name, args=args), data)
    return response, queries


CLIENT_PAGES = {name for name, spec in URLS.items() if spec.allowed & OWN}
CLIENT_URLS = [name for name, spec in URLS.items() if spec.category == CLIENT_DATA]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("url_name", CLIENT_URLS)
def test_client_data_url_applies_policy_and_audits(url_name, persona, objects, personas, emergency):
    spec = URLS[url_name]
    if url_name != "audit:emergency_reviewed":
        # The emergency fixture is for the review URL; elsewhere it must not open doors.
        emergency.expires_at = timezone.now()
        emergency.save()
    before = AccessLog.objects.count()

    response, queries = _request(url_name, spec, personas[persona], objects, personas)

    written = AccessLog.objects.count() - before
    if spec.method == "get":
        assert_a_read_writes_only_its_audit_row(queries)
    if persona in spec.allowed:
        assert response.status_code in (200, 302), response.content[:500]
        assert written == 1
        row = AccessLog.objects.latest("id")
        assert row.user == personas[persona]
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
    its audit row, which then commits on its own (and its session, which the session
    middleware saves after the view in any case)."""
    writes = [q["sql"] for q in queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    others = [
        sql
        for sql in writes
        if not re.match(r'\w+ (INTO )?"(audit_accesslog|django_session)"', sql)
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
