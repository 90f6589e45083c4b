"""The trust boundary around the access policy: emergency access reads and writes one
note, roles mean what their names say, registration tells nothing of a protected person,
a group shows a member's answers only to those who may open their case, and a page that
lists a client is in that client's "who has read my records".

The URLconf walk (tillit/tests/test_urls.py) holds the same for every URL, method and
persona; these tests tell each rule's story once."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog, Action
from tillit.clients import services
from tillit.clients.models import Case, EmergencyAccess, JournalEntry, Person
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory, UserFactory
from tillit.org.models import Role


def en(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def _break_glass(user, person):
    return services.emergency_access_open(
        actor=user, person=person, category="risk", reason="Found in crisis, needs his medicine"
    )


# -- 1. emergency access reads, and writes one signed note -----------------------------------


def test_emergency_access_writes_nothing_but_one_signed_note(outsider, case, person, entry):
    from tillit.assessment.models import Assessment
    from tillit.bam.models import Moment
    from tillit.network.models import NetworkMember
    from tillit.outcomes.models import Intervention
    from tillit.plans.models import Plan
    from tillit.portal.models import ActivationCode

    _break_glass(outsider, person)
    client = en(outsider)
    before = AccessLog.objects.count()
    today = timezone.localdate().isoformat()
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    writes = {
        reverse("network:member_add", args=[person.pk]): {
            "name": "Sam",
            "relation": "friend",
            "circle": "1",
        },
        reverse("assessment:start", args=[case.pk]): {},
        reverse("plans:person", args=[person.pk]): {"case": case.pk, "kind": "care"},
        reverse("bam:moment_new", args=[case.pk]): {
            "kind": "weak",
            "happened_at": now,
            "title": "x",
        },
        reverse("network:conference_new", args=[case.pk]): {"questions": "Who?"},
        reverse("network:meeting_new", args=[case.pk]): {"purpose": "Talk", "held_on": today},
        reverse("outcomes:add", args=[case.pk]): {
            "kind": "method",
            "name": "BaM",
            "started_on": today,
        },
        reverse("portal:code_new", args=[person.pk]): {},
        reverse("feedback:meeting", args=[entry.pk]): {"when": "after", "how": "link"},
        reverse("clients:case_inquiry", args=[case.pk]): {"assess": "no", "reason": "x"},
        reverse("clients:case_handover", args=[case.pk]): {"note": "x"},
    }
    for url, data in writes.items():
        response = client.post(url, data)
        assert response.status_code == 403, url
        assert "write one signed journal note" in response.content.decode(), url
    assert AccessLog.objects.count() == before  # refused before recording
    for model in (Assessment, Plan, Moment, NetworkMember, Intervention, ActivationCode):
        assert not model.objects.exists(), model
    assert Case.objects.get().status == case.status

    note = {"happened_at": now, "kind": "phone", "text": "Called the ambulance."}
    response = client.post(reverse("clients:entry_create", args=[case.pk]), note)
    assert response.status_code == 302
    written = JournalEntry.objects.get(author=outsider)
    assert written.is_signed  # signed at once: there is no second write to sign it
    assert client.post(reverse("clients:entry_create", args=[case.pk]), note).status_code == 403
    assert JournalEntry.objects.filter(author=outsider).count() == 1
    page = client.get(reverse("clients:person", args=[person.pk])).content.decode()
    assert reverse("clients:entry_create", args=[case.pk]) not in page  # no second form


def test_emergency_access_needs_a_kind_of_urgency_and_a_real_reason(other_leader, case, person):
    client = en(other_leader)
    data = {"id_country": "se", "id_number": person.id_number, "reason": "x"}
    page = client.post(reverse("clients:emergency"), data).content.decode()
    assert "Ensure this value has at least 20 characters" in page
    assert "This field is required." in page  # the kind of urgency
    assert not EmergencyAccess.objects.exists()
    with pytest.raises(services.ValidationError):
        services.emergency_access_open(
            actor=other_leader, person=person, category="risk", reason="x"
        )


# -- 2. managers and evaluators see no client -----------------------------------------------


@pytest.fixture
def manager(unit):
    from tillit.factories import UnitFactory

    root = UnitFactory(name="Socialförvaltningen")
    unit.parent = root
    unit.save()
    return UserFactory.member(root, Role.MANAGER, username="manager")


def test_a_manager_sees_no_client_and_breaks_no_glass(manager, case, person, worker):
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    client = en(manager)

    assert client.get(reverse("audit:review")).status_code == 404
    assert client.get(reverse("clients:unit", args=[case.unit_id])).status_code == 404
    assert client.get(reverse("clients:person", args=[person.pk])).status_code == 404
    response = client.get(reverse("clients:emergency"))
    assert response.status_code == 403
    assert "Your role does not allow emergency access" in response.content.decode()
    with pytest.raises(services.ValidationError):
        _break_glass(manager, person)
    home = client.get(reverse("home")).content.decode()
    for url in (reverse("audit:review"), reverse("clients:emergency")):
        assert url not in home  # the navigation offers only what the role opens
    assert reverse("org:methods") in home


# -- 4. registration is no oracle -------------------------------------------------------------


def _register(user, number, **extra):
    data = {
        "first_name": "Ny",
        "last_name": "Klient",
        "id_country": "se",
        "id_number": number,
        "preferred_language": "sv",
        "unit": user.memberships.get().unit_id,
        "origin": "application",
        **extra,
    }
    return en(user).post(reverse("clients:person_new"), data)


def test_registering_a_known_number_says_where_to_ask_and_shows_nothing(outsider, case, person):
    response = _register(outsider, person.id_number)
    page = response.content.decode()
    assert "already registered (Öppenvården)" in page
    assert person.first_name not in page and person.last_name not in page
    assert Person.objects.count() == 1


def test_registering_a_protected_number_tells_nothing_and_loses_nothing(
    outsider, worker, case, person
):
    person.protected_identity = True
    person.save()
    person.named_staff.add(worker)

    response = _register(outsider, person.id_number)

    # As for any new client: the outsider's own record, with only what they typed.
    new = Person.objects.exclude(pk=person.pk).get()
    assert response["Location"] == reverse("clients:person", args=[new.pk])
    assert (new.first_name, new.protected_identity) == ("Ny", False)
    page = en(outsider).get(response["Location"]).content.decode()
    assert person.first_name not in page and "protected" not in page.lower()
    # The named staff learn that someone registered the number elsewhere.
    named = en(worker).get(reverse("clients:person", args=[person.pk])).content.decode()
    assert "Another record has this identity number" in named and "Utredningen" in named


# -- 5. a group shows a member's answers only to those who may open their case ----------------


def test_a_group_shows_only_the_scores_of_members_whose_case_one_may_open(
    worker, colleague, unit, person, case
):
    from tillit.feedback.tests.test_collect import record
    from tillit.groups import services as groups
    from tillit.groups.models import Group

    other = PersonFactory(first_name="Alva", last_name="Annan")
    AssignmentFactory(case=CaseFactory(person=other, unit=unit), worker=colleague)
    group = Group.objects.create(unit=unit, name="Tisdag", kind="alcohol", created_by=worker)
    members = [
        groups.member_join(group=group, person=p, on=timezone.localdate()) for p in (person, other)
    ]
    session = groups.session_record(
        actor=worker,
        group=group,
        held_on=timezone.localdate(),
        theme="",
        members=members,
        present={m.pk for m in members},
    )
    for attendance in session.attendance.all():
        case_of = attendance.member.person.cases.get()
        entry = groups.attendance_entry(actor=worker, attendance=attendance, case=case_of)
        record(entry, "group", 3)

    page = en(worker).get(reverse("groups:group", args=[group.pk])).content.decode()
    start = page.index('class="group-checks"')
    checks = page[start : page.index("</ul>", start)]
    assert person.full_name in checks and other.full_name not in checks
    assert other.full_name in page  # a member of the group, named as such


# -- 6. the one who took an emergency access does not review it -------------------------------


def test_the_taker_of_an_emergency_access_cannot_review_it(leader, other_leader, outsider):
    far = CaseFactory(unit=outsider.memberships.get().unit)
    emergency = _break_glass(leader, far.person)
    url = reverse("audit:emergency_reviewed", args=[emergency.pk])

    page = en(leader).get(reverse("audit:review")).content.decode()
    assert "another team leader reviews it" in page and url not in page
    before = AccessLog.objects.count()
    response = en(leader).post(url)
    assert response.status_code == 403
    assert AccessLog.objects.count() == before
    emergency.refresh_from_db()
    assert emergency.reviewed_at is None

    assert en(other_leader).post(url).status_code == 302
    emergency.refresh_from_db()
    assert emergency.reviewed_by == other_leader


# -- 7. a list that shows a client is in the client's "who has read my records" ---------------


def test_the_client_sees_that_a_list_showed_their_name(worker, leader, case, person, client_self):
    en(worker).get(reverse("clients:caseload"))
    en(leader).get(reverse("clients:unit", args=[case.unit_id]))
    en(worker).get(reverse("clients:person", args=[person.pk]))

    page = en(client_self).get(reverse("portal:readers")).content.decode()

    assert "Read: your name in a caseload" in page
    assert "Read: your name in a unit&#x27;s list of clients" in page
    assert "Read: your journal" in page
    row = AccessLog.objects.filter(action=Action.READ, detail__page="caseload").get()
    assert list(row.listed.values_list("person_id", flat=True)) == [person.pk]


@pytest.mark.parametrize("role", [Role.MANAGER, Role.EVALUATOR, Role.ADMINISTRATOR])
def test_roles_above_the_casework_see_no_client_anywhere(role, unit, case, person, worker):
    """The roles table in docs/architecture.md: managers, evaluators and administrators
    open no client's record, list no client, review no log and take no emergency access,
    even for the unit they sit in."""
    user = UserFactory.member(unit, role, username=f"a-{role}")
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    client = en(user)
    before = AccessLog.objects.latest("id").pk

    assert client.get(reverse("clients:person", args=[person.pk])).status_code in (403, 404)
    assert client.get(reverse("clients:unit", args=[unit.pk])).status_code in (403, 404)
    assert client.get(reverse("audit:review")).status_code == 404
    assert client.get(reverse("clients:emergency")).status_code == 403
    for page in ("clients:caseload", "feedback:mine"):
        assert person.full_name not in client.get(reverse(page)).content.decode()
    rows = AccessLog.objects.filter(pk__gt=before, user=user)
    assert not rows.exclude(detail__page__in=["caseload", "feedback"]).exists()
    assert not rows.filter(listed__isnull=False).exists()
