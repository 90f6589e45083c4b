"""Failed logins, lockouts, second factors, session ends and role changes are access log
rows with no client (tillit/audit/events.py), never with a password."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from tillit.audit.models import AccessLog, Action
from tillit.conftest import client_for
from tillit.org import login as mfa
from tillit.org.models import Membership, Role
from tillit.org.tests.test_lockout import LIMIT, browser
from tillit.org.tests.test_sessions import shift

SECRET = "Hunter2-secret-guess"


def rows(action: str) -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=action).order_by("id"))


def no_password_anywhere() -> None:
    for row in AccessLog.objects.all():
        assert SECRET.lower() not in json.dumps([row.path, row.detail]).lower()


def test_a_failed_login_is_a_row_about_the_account_without_the_password(worker):
    client = browser("10.0.0.7")
    client.post(reverse("login"), {"username": "Worker ", "password": SECRET})
    (row,) = rows(Action.LOGIN_FAILED)
    assert row.user == worker and row.person is None and row.case is None
    assert row.detail == {"username": "worker", "address": "10.0.0.7"}
    assert row.path == reverse("login")
    no_password_anywhere()


def test_a_name_that_is_no_account_is_not_kept(db):
    """A password typed into the user name field stays out of the log."""
    browser().post(reverse("portal:login"), {"username": SECRET, "password": SECRET})
    (row,) = rows(Action.LOGIN_FAILED)
    assert row.user is None and row.detail["username"] == "(unknown)"
    no_password_anywhere()


def test_a_lockout_is_a_row(worker):
    client = browser()
    for _ in range(LIMIT):
        client.post(reverse("login"), {"username": "worker", "password": SECRET})
    assert [r.user for r in rows(Action.LOCKOUT)] == [worker]
    assert len(rows(Action.LOGIN_FAILED)) == LIMIT
    no_password_anywhere()


def test_sessions_ended_by_logout_timeout_and_administrator(worker, administrator, settings):
    client = client_for(worker)
    client.post(reverse("logout"))
    client = client_for(worker)
    shift(client, seen=settings.SESSION_IDLE_SECONDS + 1)
    client.get(reverse("clients:caseload"))
    client_for(worker)
    client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "end_sessions", "_selected_action": [worker.pk]},
    )
    ended = rows(Action.SESSION_END)
    assert [r.detail["reason"] for r in ended] == ["logout", "idle", "ended_by_administrator"]
    assert {r.user for r in ended} == {worker}
    assert ended[-1].detail["by"] == {"id": administrator.pk, "username": "administrator"}


def test_a_second_factor_reset_is_a_row_saying_by_whom(worker, administrator):
    mfa.recovery_codes_create(worker)
    client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [worker.pk]},
    )
    (row,) = rows(Action.MFA_CHANGE)
    assert row.user == worker
    assert row.detail["change"] == "reset" and row.detail["by"]["id"] == administrator.pk
    assert rows(Action.SESSION_END)[0].detail["reason"] == "mfa_reset"


@pytest.mark.parametrize("step", ["add", "change", "remove"])
def test_a_role_given_changed_or_taken_in_the_admin_is_a_row(step, unit, worker, administrator):
    membership = Membership.objects.get(user=worker)
    form = {
        "name": unit.name,
        "does_intervention": "on",
        "memberships-TOTAL_FORMS": "2",
        "memberships-INITIAL_FORMS": "1",
        "memberships-0-id": membership.pk,
        "memberships-0-unit": unit.pk,
        "memberships-0-user": worker.pk,
        "memberships-0-role": Role.WORKER,
        "memberships-1-unit": unit.pk,
        "memberships-1-user": "",
        "memberships-1-role": "",
    }
    if step == "add":
        form |= {"memberships-1-user": worker.pk, "memberships-1-role": Role.TEAM_LEADER}
    elif step == "change":
        form["memberships-0-role"] = Role.TEAM_LEADER
    else:
        form["memberships-0-DELETE"] = "on"
    response = client_for(administrator).post(
        reverse("admin:org_unit_change", args=[unit.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    (row,) = rows(Action.ROLE_CHANGE)
    assert row.user == worker and row.unit_id == unit.pk and row.person is None
    expected = {"add": "added", "change": "changed", "remove": "removed"}[step]
    assert row.detail["change"] == expected
    assert row.detail["by"]["id"] == administrator.pk
    if step == "change":
        assert row.detail["role"] == Role.TEAM_LEADER
        assert row.detail["was"] == {"unit": unit.pk, "role": Role.WORKER}
