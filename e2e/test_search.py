"""A closed case is found again, in a browser: by identity number (POSTed, never in the
address), by name, and from the list of recently closed cases; then the client's page."""

import pytest
from django.utils import timezone

from e2e.conftest import check_a11y, log_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def closed_case(case):
    case.set_status("closed", on=timezone.localdate())
    return case


def test_the_worker_finds_a_closed_client_and_opens_their_page(
    page, live_server, worker, closed_case, person
):
    log_in(page, live_server.url, "worker")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Find a client").click()
    page.wait_for_url("**/clients/search/")
    check_a11y(page)

    page.get_by_label("Identity number:", exact=True).fill(person.id_number)
    page.get_by_role("button", name="Find", exact=True).click()
    page.get_by_role("heading", name="1 client found").wait_for()
    assert page.url == f"{live_server.url}/clients/search/"  # the number is not in it
    check_a11y(page)
    page.get_by_role("link", name=person.full_name).click()
    page.wait_for_url(f"**/clients/{person.pk}/")
    assert page.get_by_role("heading", name=person.full_name).first.is_visible()
    check_a11y(page)

    visit(page, f"{live_server.url}/caseload/")
    page.get_by_role("link", name="Recently closed cases").click()
    page.wait_for_url("**/cases/closed/")
    assert page.get_by_role("link", name=person.full_name).is_visible()
    check_a11y(page)

    page.get_by_role("link", name="Find a client").last.click()
    page.get_by_label("Name:").fill(person.last_name.lower())
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 client found").wait_for()
    assert "q=" in page.url and person.id_number not in page.url
    check_a11y(page)


def test_the_browser_does_not_send_a_number_typed_as_a_name(page, live_server, worker, case):
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/clients/search/")

    page.get_by_label("Name:").fill(case.person.id_number)
    page.get_by_role("button", name="Search").click()

    assert page.url == f"{live_server.url}/clients/search/"
    assert not page.get_by_label("Name:").evaluate("field => field.validity.valid")


def test_a_client_outside_ones_units_says_whom_to_ask(page, live_server, outsider, case, person):
    log_in(page, live_server.url, "outsider", language="sv")
    response = page.goto(f"{live_server.url}/clients/{person.pk}/")

    assert response.status == 404
    page.get_by_role("heading", name="Här finns ingen klient som du får se").wait_for()
    assert page.get_by_text("fråga din arbetsledare").is_visible()
    assert person.last_name not in page.content()
    check_a11y(page)
