"""The leaders' page on methods: trained, practising, supervised; for leaders only."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.bam import services as bam_services
from tillit.conftest import client_for
from tillit.factories import AssignmentFactory, CaseFactory, MomentFactory, UnitFactory, UserFactory
from tillit.org.models import Method, Role, Supervision, Training

URL = reverse("org:methods")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def bam():
    return Method.objects.get(key="bam")


def _summary(response, key):
    return next(s for s in response.context["summaries"] if s.method.key == key)


def _row(summary, user):
    return next(r for r in summary.rows if r.staff == user)


def test_methods_are_preloaded_with_names_in_each_language(db):
    bam = Method.objects.get(key="bam")
    assert {m.key for m in Method.objects.all()} >= {"bam", "mi", "cra", "fgc"}
    with translation.override("nb"):
        assert bam.display_name == "Bygging av mestringstillit (BaM)"
    with translation.override("sv"):
        assert Method.objects.get(key="fgc").display_name == "Familjerådslag"
    with translation.override("en"):
        assert Method.objects.get(key="mi").display_name == "Motivational Interviewing (MI)"


@pytest.mark.parametrize("persona", ["worker", "colleague", "outsider", "administrator"])
def test_others_than_leaders_get_403(personas, persona):
    response = client_for(personas[persona]).get(URL)
    assert response.status_code == 403


def test_manager_sees_the_units_below(unit, bam):
    root = UnitFactory(name="Socialförvaltningen")
    unit.parent = root
    unit.save()
    manager = UserFactory.member(root, Role.MANAGER)
    worker = UserFactory.member(unit, Role.WORKER)

    response = client_for(manager).get(URL)

    assert response.status_code == 200
    assert worker in [r.staff for r in _summary(response, "bam").rows]


def test_leader_sees_training_practice_and_supervision(
    leader, worker, colleague, other_leader, outsider, case, bam
):
    today = timezone.localdate()
    Training.objects.create(staff=worker, method=bam, date=today, hours=Decimal("24"))
    Training.objects.create(staff=worker, method=bam, date=today, hours=Decimal("8.5"))
    Training.objects.create(staff=outsider, method=bam, date=today, hours=Decimal("40"))
    session = Supervision.objects.create(
        date=today, supervisor=leader, method=bam, notes="Board use"
    )
    session.participants.set([worker, colleague])
    old = Supervision.objects.create(
        date=today - datetime.timedelta(days=400), supervisor=leader, method=bam
    )
    old.participants.set([worker])
    recent = timezone.now() - datetime.timedelta(days=3)
    MomentFactory.create_batch(2, case=case, written_by=worker, happened_at=recent)
    MomentFactory(case=case, written_by=worker, happened_at=recent - datetime.timedelta(days=100))
    bam_services.moment_record_by_client(
        person=case.person, case=case, kind="weak", happened_at=recent, title="Alone"
    )
    before = AccessLog.objects.count()

    response = client_for(leader).get(URL)

    assert response.status_code == 200
    summary = _summary(response, "bam")
    staff = [r.staff for r in summary.rows]
    assert outsider not in staff and worker in staff and colleague in staff
    mine = _row(summary, worker)
    assert (mine.hours, mine.trained_on) == (Decimal("32.5"), today)
    assert mine.practised == 2  # in meetings, in the last 90 days; the client's own not
    assert mine.supervisions == 1  # the old session is outside the last year
    assert _row(summary, colleague).practised == 0
    assert (summary.trained, summary.practising, summary.sessions) == (1, 1, 1)
    # Every method is measured: an intervention with it is its practice (tillit.outcomes).
    assert _row(_summary(response, "mi"), worker).practised == 0
    html = response.content.decode()
    assert "2 moments explored in meetings" in html
    assert "Board use" not in html  # notes stay in the admin
    assert AccessLog.objects.count() == before  # staff data, no client data


def test_other_leader_sees_only_their_unit(other_leader, outsider, worker, bam):
    response = client_for(other_leader).get(URL)
    staff = [r.staff for r in _summary(response, "bam").rows]
    assert outsider in staff and worker not in staff


# session, its user with their roles, the unit tree, staff, trainings, supervision given,
# supervision attended, BaM practice, conferences held, network meetings, interventions
# with a method (tillit/org/practice.py), methods, the units' names
METHODS_QUERIES = 13


@pytest.mark.parametrize("size", [1, 15])
def test_query_count_is_constant(leader, unit, bam, size, django_assert_num_queries):
    for _ in range(size):
        member = UserFactory.member(unit, Role.WORKER)
        Training.objects.create(staff=member, method=bam, date=timezone.localdate(), hours=8)
        case = CaseFactory(unit=unit)
        AssignmentFactory(case=case, worker=member)
        MomentFactory(case=case, written_by=member)
        Supervision.objects.create(
            date=timezone.localdate(), supervisor=leader, method=bam
        ).participants.set([member])
    client = client_for(leader)
    with django_assert_num_queries(METHODS_QUERIES):
        response = client.get(URL)
    assert _summary(response, "bam").practising == size


def test_page_speaks_norwegian(leader, worker, bam):
    client = client_for(leader)
    client.cookies["django_language"] = "nb"
    html = client.get(URL).content.decode()
    assert "Metoder i praksis" in html
    assert "Bygging av mestringstillit (BaM)" in html
    assert "ikke opplært" in html


@pytest.mark.parametrize("model", ["method", "training", "supervision"])
def test_administrator_edits_methods_training_and_supervision(administrator, model):
    client = client_for(administrator)
    assert client.get(reverse(f"admin:org_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:org_{model}_add")).status_code == 200


def test_administrator_adds_a_method(administrator):
    response = client_for(administrator).post(
        reverse("admin:org_method_add"),
        {"key": "aci", "name": "Reflecting team", "name_sv": "Reflekterande team", "name_nb": ""},
    )
    assert response.status_code == 302
    with translation.override("nb"):
        assert Method.objects.get(key="aci").display_name == "Reflecting team"  # falls back
