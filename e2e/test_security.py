"""In a real browser, under the Content-Security-Policy (a violation fails the test, see
conftest): the two-step login with its set-up, a lockout, and the admin's pages."""

import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from e2e.conftest import check_a11y, log_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_two_step_login_sets_up_the_app_then_asks_for_it(page, live_server, worker, settings):
    settings.REQUIRE_MFA = True
    log_in(page, live_server.url, "worker")
    page.get_by_role("heading", name="Set up your authenticator app").wait_for()
    assert page.locator("figure.qr-code svg").is_visible()
    check_a11y(page)
    device = TOTPDevice.objects.get(user=worker)
    code = f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = page.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[0-9a-f]{5}-[0-9a-f]{5}", c) for c in codes)
    check_a11y(page)
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("button", name=re.compile("Log out")).wait_for()
    assert "/login/" not in page.url


def test_a_lockout_is_explained(page, live_server, worker):
    for _ in range(5):
        log_in(page, live_server.url, "worker", password="not-the-password")
    page.get_by_role("heading", name="Too many wrong passwords").wait_for()
    assert "paused for 15 minutes" in page.content()
    check_a11y(page)


def test_the_admin_works_under_the_policy(page, live_server, administrator, worker):
    log_in(page, live_server.url, "administrator")
    for path in ("/admin/", "/admin/org/user/", f"/admin/org/user/{worker.pk}/change/"):
        page.goto(f"{live_server.url}{path}")
        assert page.title()
    page.goto(f"{live_server.url}/admin/org/user/")
    assert page.locator("select[name=action] option[value=lift_lockouts]").count() == 1


def test_the_admins_own_login_sends_to_tillits(page, live_server):
    visit(page, f"{live_server.url}/admin/")
    assert page.url.startswith(f"{live_server.url}/login/")
