"""A second factor for staff at login (tillit/org/login.py): set up on the first login,
asked for on every later one, recovery codes, reset by an administrator; not for clients,
and not where the deployment turns it off."""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tillit.conftest import client_for
from tillit.factories import TEST_PASSWORD
from tillit.tests.test_settings import DEPLOY_KEY, read_settings


@pytest.fixture(autouse=True)
def _required(settings):
    settings.REQUIRE_MFA = True


def browser() -> Client:
    client = Client(REMOTE_ADDR="10.0.0.1")
    client.cookies["django_language"] = "en"
    return client


def password(client: Client, username: str, url: str = "login"):  # type: ignore[no-untyped-def]
    return client.post(reverse(url), {"username": username, "password": TEST_PASSWORD})


def code_now(device: TOTPDevice) -> str:
    # A code is used once, and a wrong one delays the next try (a second, then two...).
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def enrol(client: Client, username: str) -> list[str]:
    """The first login: password, the app's set-up, a code; the recovery codes shown."""
    assert password(client, username)["Location"] == reverse("login")
    page = client.get(reverse("login")).content.decode()
    assert "Set up your authenticator app" in page and "<svg" in page
    device = TOTPDevice.objects.get(user__username=username, confirmed=False)
    response = client.post(reverse("login"), {"code": code_now(device)})
    assert response.status_code == 200
    return re.findall(r"<code>([0-9a-f]{5}-[0-9a-f]{5})</code>", response.content.decode())


def test_the_first_login_sets_up_the_app_and_shows_recovery_codes(worker):
    client = browser()
    assert password(client, "worker").status_code == 302
    assert not signed_in(client)  # the password alone does not sign in
    assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))
    client = browser()
    codes = enrol(client, "worker")
    assert len(codes) == 10
    assert signed_in(client)
    assert TOTPDevice.objects.get(user=worker).confirmed


def test_a_later_login_asks_for_the_code(worker):
    enrol(browser(), "worker")
    client = browser()
    password(client, "worker")
    page = client.get(reverse("login")).content.decode()
    assert "Enter your code" in page and "<svg" not in page
    response = client.post(reverse("login"), {"code": "000000"})
    assert "That code is not right" in response.content.decode()
    assert not signed_in(client)
    device = TOTPDevice.objects.get(user=worker)
    assert client.post(reverse("login"), {"code": code_now(device)}).status_code == 302
    assert signed_in(client)


def test_a_recovery_code_works_once(worker):
    codes = enrol(browser(), "worker")
    for expected in (True, False):
        client = browser()
        password(client, "worker")
        client.post(reverse("login"), {"code": codes[0]})
        assert signed_in(client) is expected
    assert StaticToken.objects.filter(device__user=worker).count() == 9


def test_wrong_codes_count_towards_the_lockout(worker, caplog):
    caplog.set_level(logging.WARNING, logger="tillit.security")
    enrol(browser(), "worker")
    client = browser()
    password(client, "worker")
    statuses = [client.post(reverse("login"), {"code": "123456"}).status_code for _ in range(5)]
    assert statuses[-1] == 429
    assert client.get(reverse("login")).status_code == 429
    assert "mfa failed: account=worker" in caplog.text


def test_an_administrator_resets_a_lost_phone(worker, administrator, caplog):
    caplog.set_level(logging.WARNING, logger="tillit.security")
    enrol(browser(), "worker")
    client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [worker.pk]},
    )
    assert not TOTPDevice.objects.filter(user=worker).exists()
    assert "mfa reset: account=worker by=" in caplog.text
    assert len(enrol(browser(), "worker")) == 10  # set up anew


def test_the_pending_login_expires(worker):
    client = browser()
    password(client, "worker")
    session = client.session
    session["tillit_login_pending"]["at"] = int(time.time()) - 301
    session.save()
    assert "Log in to Tillit" in client.get(reverse("login")).content.decode()


def test_clients_need_no_second_factor(client_self):
    client = browser()
    password(client, client_self.get_username(), "portal:login")
    assert signed_in(client)


def test_staff_cannot_skip_it_through_the_portals_login(worker):
    client = browser()
    response = password(client, "worker", "portal:login")
    assert response.status_code == 200
    assert not signed_in(client)


def test_the_admin_has_no_login_of_its_own():
    response = Client().get(reverse("admin:login") + "?next=/admin/org/user/")
    assert response["Location"].startswith(reverse("login") + "?next=/admin/org/user/")


def test_off_where_the_deployment_says(worker, settings):
    settings.REQUIRE_MFA = False
    client = browser()
    password(client, "worker")
    assert signed_in(client)


def test_required_in_production_by_default():
    production = {"TILLIT_DEBUG": "0", "TILLIT_SECRET_KEY": DEPLOY_KEY}
    assert read_settings("settings.REQUIRE_MFA", **production).stdout.strip() == "True"
    off = {**production, "TILLIT_REQUIRE_MFA": "0"}
    assert read_settings("settings.REQUIRE_MFA", **off).stdout.strip() == "False"
    assert read_settings("settings.REQUIRE_MFA").stdout.strip() == "False"  # the demo
