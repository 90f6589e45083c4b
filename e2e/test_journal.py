"""A worker's day in a real browser: caseload, client page, write, sign, correct."""

import pytest

from e2e.conftest import check_a11y, log_in, visit
from tillit.factories import EntryFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_worker_writes_signs_and_corrects_an_entry(page, live_server, worker, case, person):
    log_in(page, live_server.url, "worker")
    page.wait_for_url("**/caseload/")
    check_a11y(page)

    page.get_by_role("link", name=person.full_name).click()
    page.wait_for_url(f"**/clients/{person.pk}/")
    check_a11y(page)

    page.fill("#id_text", "We talked about the weekend and about the job interview.")
    page.fill("#id_present", "Kim, worker")
    page.get_by_role("button", name="Save").click()
    entry = page.locator("#journal-list article").first
    entry.get_by_text("job interview").wait_for()
    assert "Draft" in entry.inner_text()

    entry.get_by_role("button", name="Sign").click()
    page.locator("#journal-list article").first.get_by_text("Signed by").wait_for()
    check_a11y(page)

    page.locator("#journal-list article").first.get_by_role("link", name="Correct").click()
    page.wait_for_url("**/correct/")
    check_a11y(page)
    page.fill("#id_text", "We talked about the weekend and about the job interview on Monday.")
    page.fill("#id_reason", "The day was missing")
    page.get_by_role("button", name="Sign the correction").click()
    page.wait_for_url(f"**/clients/{person.pk}/**")

    current = page.locator("#journal-list article").first
    assert "on Monday" in current.inner_text()
    current.get_by_text("1 earlier version").click()
    old = current.locator(".old-version")
    assert "about the job interview." in old.inner_text()
    assert "The day was missing" in current.inner_text()
    check_a11y(page)


def test_pages_speak_swedish_by_default(page, live_server, worker, case, person):
    log_in(page, live_server.url, "worker", language="sv")
    page.wait_for_url("**/caseload/")
    assert page.get_by_role("heading", name="Mina ärenden").is_visible()
    visit(page, f"{live_server.url}/clients/{person.pk}/")
    assert page.get_by_role("heading", name="Ny journalanteckning").is_visible()


def test_worker_on_a_phone(phone, live_server, worker, case, person):
    log_in(phone, live_server.url, "worker", language="sv")
    phone.wait_for_url("**/caseload/")
    check_a11y(phone)
    phone.get_by_role("link", name=person.full_name).click()
    phone.fill("#id_text", "Kort samtal i telefon.")
    phone.get_by_label("Signera nu").check()
    phone.get_by_role("button", name="Spara").click()
    phone.locator("#journal-list article").first.get_by_text("Kort samtal").wait_for()
    assert "Signerad av" in phone.locator("#journal-list article").first.inner_text()
    check_a11y(phone)


def test_older_entries_open_below_the_latest_without_leaving_the_page(
    page, live_server, worker, case, person
):
    EntryFactory.create_batch(20, case=case, author=worker, signed=True)
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/clients/{person.pk}/")
    entries = page.locator("#journal-list article")
    assert entries.count() == 15

    page.get_by_role("link", name="Show older entries").click()
    page.get_by_text("20 of 20 shown").wait_for(state="detached")
    entries.nth(19).wait_for()
    assert entries.count() == 20
    assert page.url.endswith(f"/clients/{person.pk}/")  # appended in place, no new page
    assert page.get_by_role("link", name="Show older entries").count() == 0
    check_a11y(page)
