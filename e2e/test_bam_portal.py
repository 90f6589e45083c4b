"""The client writes down a strong moment on a phone between meetings and finds it in
"my strong moments"."""

import pytest

from e2e.conftest import PASSWORD, check_a11y, visit
from tillit.conftest import client_account

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_client_records_a_strong_moment_on_a_phone(phone, live_server, case, person):
    user = client_account(person)
    visit(phone, f"{live_server.url}/portal/login/")
    phone.fill("#id_username", user.username)
    phone.fill("#id_password", PASSWORD)
    phone.locator("button[type=submit].primary").click()
    phone.wait_for_url("**/portal/")

    phone.get_by_role("link", name="Mina ögonblick").click()
    phone.wait_for_url("**/bam/mine/")
    check_a11y(phone)
    phone.get_by_label("Ett par ord om det").fill("Jag sa nej på festen")
    phone.get_by_label("Vad gjorde du som fungerade? (starkt ögonblick)").fill(
        "Jag ringde min syster"
    )
    phone.get_by_label("Hur säker är du, från 0 till 10").fill("7")
    phone.get_by_role("button", name="Spara mitt ögonblick").click()
    phone.wait_for_url("**/bam/mine/")
    strong = phone.locator("#strong-title").locator("..")
    assert "Jag sa nej på festen" in strong.inner_text()
    assert "Jag ringde min syster" in strong.inner_text()
    check_a11y(phone)
