"""The client answers both checks on a phone; a low score raises an alert that the worker
closes with a response."""

import re

import pytest

from e2e.conftest import check_a11y, log_in, visit
from tillit.feedback.services import instruments_load

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RELATIONSHIP = ["heard", "what_matters", "way_of_working", "trust"]
LIFE = ["self", "close", "everyday", "habit", "overall"]


def _link(page, base, entry, when) -> str:  # type: ignore[no-untyped-def]
    visit(page, f"{base}/feedback/meetings/{entry.pk}/")
    page.get_by_label("Relationship check" if when == "after" else "Life check").check()
    page.get_by_role("button", name="Make a link for the client's phone").click()
    text = page.get_by_label("Or copy the link and send it").input_value()
    check_a11y(page)
    return re.search(r"/feedback/l/\S+/", text).group(0)


def _answer(phone, items, value):  # type: ignore[no-untyped-def]
    for key, item in items:
        phone.locator(f"label[for=id_{key}__{item}_{value}]").click()


def test_client_answers_on_a_phone_and_worker_responds_to_the_alert(
    page, phone, live_server, worker, case, person, entry
):
    instruments_load()
    log_in(page, live_server.url, "worker")

    before = _link(page, live_server.url, entry, "before")
    visit(phone, live_server.url + before)
    assert "Hur har du det?" in phone.content()
    assert person.last_name not in phone.content()
    _answer(phone, [("life", i) for i in LIFE], 6)
    phone.get_by_role("button", name="Skicka mina svar").click()
    phone.get_by_text("Tack för dina svar").wait_for()
    check_a11y(phone)

    after = _link(page, live_server.url, entry, "after")
    visit(phone, live_server.url + after)
    _answer(phone, [("relationship", i) for i in RELATIONSHIP], 3)
    phone.locator("label[for=id_unwanted__harder_0]").click()
    phone.get_by_label("Vad skulle göra vårt nästa möte bättre?").fill("Mer tid att prata.")
    phone.get_by_role("button", name="Skicka mina svar").click()
    phone.get_by_text("Tack för dina svar").wait_for()

    visit(page, f"{live_server.url}/caseload/")
    assert page.get_by_text("1 open alert").is_visible()
    visit(page, f"{live_server.url}/feedback/clients/{person.pk}/")
    page.get_by_role("link", name="Respond").click()
    check_a11y(page)
    page.get_by_label("Talked it through with the client").check()
    page.get_by_label("Note").fill("We agreed to take more time at the start of each meeting.")
    page.get_by_role("button", name="Close the alert").click()
    page.get_by_text("We agreed to take more time").wait_for()
    assert page.locator(".alert.is-open").count() == 0
    check_a11y(page)
