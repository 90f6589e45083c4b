import pytest

from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.plans.demo import seed_plans
from tillit.plans.models import Plan


@pytest.mark.django_db
def test_demo_plans(case, unit, worker):
    AssignmentFactory(case=CaseFactory(person=PersonFactory(), unit=unit), worker=worker)
    seed_plans()
    signed = Plan.objects.get(status="signed")
    assert signed.responses.get().accepted
    assert signed.reviews.count() == 1
    assert Plan.objects.get(replaces=signed).status == "draft"
    assert Plan.objects.get(kind="coordinated").participants.count() == 2
