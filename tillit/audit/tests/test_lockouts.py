"""A team leader sees and lifts the lockouts of their units' staff and clients
(audit.views.lockouts, lockout_lift); anyone outside their units is a 404."""

from __future__ import annotations

import logging

import pytest
from django.test import Client
from django.urls import reverse

from tillit.audit.models import AccessLog, Action, Listed
from tillit.conftest import client_account, client_for
from tillit.factories import TEST_PASSWORD, CaseFactory, PersonFactory
from tillit.org.tests.test_lockout import LIMIT, browser, fail, login

LIST, LIFT = reverse("audit:lockouts"), reverse("audit:lockout_lift")


def english(user) -> Client:  # type: ignore[no-untyped-def]
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def lifts() -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=Action.LOCKOUT_LIFT).order_by("id"))


@pytest.fixture
def locked_worker(worker):
    fail(browser("10.0.0.5"), "worker", LIMIT)
    return worker


@pytest.fixture
def locked_client(client_self, case):
    """The case's client, locked out of the portal."""
    fail(browser("10.0.0.6"), client_self.get_username(), LIMIT, "portal:login")
    return client_self


def test_a_leader_sees_and_lifts_a_lockout_of_their_staff(locked_worker, leader, unit, caplog):
    caplog.set_level(logging.INFO, logger="tillit.security")
    client = english(leader)
    page = client.get(LIST).content.decode()
    assert "10.0.0.5" in page and "(worker)" in page and "Lift the lockout" in page

    response = client.post(LIFT, {"account": locked_worker.pk}, follow=True)

    assert "is lifted" in response.content.decode()
    assert login(browser("10.0.0.5"), "worker", TEST_PASSWORD).status_code == 302
    (row,) = lifts()
    assert (row.user, row.unit_id, row.person) == (leader, unit.pk, None)
    assert row.detail["account"] == {"id": locked_worker.pk, "username": "worker"}
    assert row.detail["attempts"] == 1
    assert "lockout lifted: account=worker by=leader attempts=1" in caplog.text
    assert "No login of your units is locked out." in client.get(LIST).content.decode()


def test_a_leader_lifts_a_clients_portal_lockout_and_the_list_is_recorded(
    locked_client, leader, person
):
    client = english(leader)
    before = AccessLog.objects.count()
    page = client.get(LIST).content.decode()
    assert "Kim Client" in page and "client, portal" in page
    row = AccessLog.objects.latest("id")
    assert AccessLog.objects.count() == before + 1
    assert row.detail == {"page": "lockouts"} and row.user == leader
    assert list(Listed.objects.filter(log=row).values_list("person_id", flat=True)) == [person.pk]

    client.post(LIFT, {"account": locked_client.pk})
    username = locked_client.get_username()
    assert login(browser("10.0.0.6"), username, TEST_PASSWORD, "portal:login").status_code == 302


def test_a_lockout_outside_the_leaders_units_is_a_404(
    locked_worker, locked_client, other_leader, colleague
):
    client = english(other_leader)
    page = client.get(LIST).content.decode()
    assert "10.0.0.5" not in page and "Kim Client" not in page
    for account in (locked_worker, locked_client, colleague):
        assert client.post(LIFT, {"account": account.pk}).status_code == 404
    assert client.post(LIFT, {"account": "not a number"}).status_code == 404
    assert login(browser("10.0.0.5"), "worker", TEST_PASSWORD).status_code == 429
    assert lifts() == []


@pytest.mark.parametrize("persona", ["worker", "colleague", "administrator"])
def test_only_team_leaders_have_the_page(persona, personas, locked_worker):
    client = client_for(personas[persona])
    assert client.get(LIST).status_code == 404
    assert client.post(LIFT, {"account": locked_worker.pk}).status_code == 404
    assert lifts() == []


def test_a_leaders_own_lockout_is_lifted_by_someone_else(leader):
    fail(browser("10.0.0.8"), "leader", LIMIT)
    client = english(leader)  # logged in elsewhere
    page = client.get(LIST).content.decode()
    assert "another team leader or an administrator lifts it" in page
    assert client.post(LIFT, {"account": leader.pk}).status_code == 403
    assert lifts() == []


def test_a_protected_clients_lockout_is_only_for_the_staff_named_on_them(leader, unit, worker):
    person = PersonFactory(first_name="Hemligsdotter", protected_identity=True)
    CaseFactory(person=person, unit=unit)
    account = client_account(person)
    fail(browser(), account.get_username(), LIMIT, "portal:login")
    client = english(leader)
    assert "Hemligsdotter" not in client.get(LIST).content.decode()
    assert client.post(LIFT, {"account": account.pk}).status_code == 404
    person.named_staff.add(leader)
    assert "Hemligsdotter" in client.get(LIST).content.decode()


def test_an_administrators_lift_is_a_row_too(locked_worker, administrator):
    client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "lift_lockouts", "_selected_action": [locked_worker.pk]},
    )
    (row,) = lifts()
    assert row.user == administrator
    assert row.detail["account"] == {"id": locked_worker.pk, "username": "worker"}


def test_only_team_leaders_find_the_page_in_their_navigation(leader, worker, settings):
    assert f'href="{LIST}"' in client_for(leader).get(reverse("audit:review")).content.decode()
    assert f'href="{LIST}"' not in client_for(worker).get(reverse("home"), follow=True).text


@pytest.mark.parametrize(
    ("language", "staff", "client"),
    [
        ("en", "team leader or an administrator", "a team leader or an administrator can lift"),
        ("sv", "arbetsledare eller en administratör", "en arbetsledare eller en administratör"),
        ("nb", "teamlederen din eller en administrator", "en teamleder eller en administrator"),
    ],
)
def test_the_lockout_message_says_who_can_lift_it(language, staff, client, worker, client_self):
    pages = {}
    for name, form in (("worker", "login"), (client_self.get_username(), "portal:login")):
        other = browser(language=language)
        fail(other, name, LIMIT, form)
        pages[form] = login(other, name, TEST_PASSWORD, form).content.decode()
    assert staff in pages["login"]
    assert client in pages["portal:login"]
