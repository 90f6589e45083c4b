"""The client's own page on a phone: a worker shares a note and prints a code; the client
opens the portal with it, reads the note, says how they see it; the worker sees that."""

import re

import pytest

from e2e.conftest import check_a11y, log_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_client_opens_the_portal_and_answers_a_shared_note(
    page, phone, live_server, worker, case, person, entry
):
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/clients/{person.pk}/")
    page.get_by_role("button", name="Share with the client").click()
    page.get_by_text("Shared with the client in the portal.").wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Letter with a portal code").click()
    code = page.locator("code.code").inner_text()
    assert re.fullmatch(r"[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}", code)
    check_a11y(page)

    visit(phone, f"{live_server.url}/portal/activate/")
    phone.get_by_label("Din kod").fill(code)
    phone.get_by_label("Välj ett användarnamn").fill("kim")
    phone.get_by_label("Välj ett lösenord").fill("my-own-Passw0rd")
    phone.get_by_label("Samma lösenord igen").fill("my-own-Passw0rd")
    phone.get_by_role("button", name="Öppna min sida").click()
    phone.wait_for_url("**/portal/")
    assert phone.get_by_role("heading", name="Hej Kim").is_visible()
    assert "Signed text" in phone.content()
    check_a11y(phone)

    phone.get_by_label("Hur ser du på det?").fill("Det var inte så jag menade.")
    phone.get_by_role("button", name="Skicka").click()
    phone.get_by_text("Tack. Dina ord är sparade med anteckningen.").wait_for()
    assert "Det var inte så jag menade." in phone.content()
    check_a11y(phone)

    visit(phone, f"{live_server.url}/portal/readers/")
    assert str(worker) in phone.content()
    visit(phone, f"{live_server.url}/portal/checks/")
    # A client's login opens nothing else.
    phone.goto(f"{live_server.url}/caseload/")
    phone.wait_for_url("**/portal/")

    visit(page, f"{live_server.url}/clients/{person.pk}/")
    assert "Det var inte så jag menade." in page.content()
