"""Closing and reopening at once from several tabs, against the real database: one
closing, one new period, and every other request told in words (no 5xx)."""

import pytest
from django.urls import reverse

from tillit.clients.models import Case
from tillit.followup.models import Closing
from tillit.followup.tests.data import closed_case
from tillit.followup.tests.test_closing import close_data
from tillit.tests.test_concurrency import at_once, logged_in, told

pytestmark = pytest.mark.django_db(transaction=True)


def test_closing_from_six_tabs_at_once_closes_once(worker, case):
    url = reverse("followup:close", args=[case.pk])
    responses = at_once(logged_in(worker), lambda _i, client: client.post(url, close_data()))
    assert Closing.objects.filter(case=case).count() == 1
    assert all(r.status_code == 302 for r in responses)
    said = [m for r in responses for m in told(r)]
    assert said.count("The case is closed.") == 1
    assert said.count("The case is already closed.") == len(responses) - 1


def test_reopening_from_six_tabs_at_once_makes_one_period(worker, unit):
    old = closed_case(unit, worker)
    url = reverse("followup:reopen", args=[old.pk])
    responses = at_once(
        logged_in(worker), lambda _i, client: client.post(url, {"origin": "application"})
    )
    assert Case.objects.filter(previous=old).count() == 1
    said = [m for r in responses for m in told(r)]
    assert said.count("The case is reopened as a new period.") == 1
