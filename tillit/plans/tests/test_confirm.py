"""Signing a plan asks first (tillit/lib/confirm.py): a dialog on the plan's page, and a
GET of the sign URL asks on a page of its own without signing."""

from django.urls import reverse

from tillit.conftest import client_for
from tillit.plans.models import Plan, PlanStatus
from tillit.plans.tests.data import plan_with_goals


def test_a_shared_plan_asks_before_it_is_signed(worker, case):
    plan = plan_with_goals(case, worker, state="shared")
    client = client_for(worker)
    client.cookies["django_language"] = "nb"
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert '<dialog id="confirm-sign"' in page
    assert "Signere planen med Kim Client?" in page

    asked = client.get(reverse("plans:sign", args=[plan.pk]))
    assert asked.status_code == 200
    assert "En signert plan kan ikke endres." in asked.content.decode()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SHARED

    client.post(reverse("plans:sign", args=[plan.pk]))
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SIGNED


def test_a_draft_does_not_offer_to_sign(worker, case):
    plan = plan_with_goals(case, worker)
    page = client_for(worker).get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "confirm-sign" not in page
