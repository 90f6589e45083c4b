"""Need to know, in a browser: emergency access with a reason and its review; refusals."""

import re

import pytest

from e2e.conftest import check_a11y, log_in, visit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_emergency_access_is_taken_and_reviewed(
    browser, page, live_server, other_leader, leader, case, person
):
    log_in(page, live_server.url, "other_leader")
    visit(page, f"{live_server.url}/emergency/")
    page.get_by_label("Identity number:", exact=True).fill(person.id_number)
    page.get_by_label("Kind of urgency").select_option("contact")
    page.get_by_label("Reason").fill("The client called the night line in crisis")
    page.get_by_role("button", name="Open emergency access").click()
    page.wait_for_url(f"**/clients/{person.pk}/")
    assert page.get_by_role("alert").filter(has_text="Emergency access until").is_visible()
    check_a11y(page)

    context = browser.new_context(viewport={"width": 1280, "height": 800})
    leader_page = context.new_page()
    log_in(leader_page, live_server.url, "leader")
    visit(leader_page, f"{live_server.url}/log/")
    assert leader_page.get_by_text("The client called the night line in crisis").first.is_visible()
    leader_page.get_by_role("button", name="Mark reviewed").click()
    leader_page.get_by_text("Nothing to review.").wait_for()
    check_a11y(leader_page)
    context.close()


def test_outsider_is_refused_and_colleague_is_offered_emergency_access(
    browser, page, live_server, outsider, colleague, case, person
):
    log_in(page, live_server.url, "outsider")
    response = page.goto(f"{live_server.url}/clients/{person.pk}/")
    assert response.status == 404
    assert person.last_name not in page.content()
    check_a11y(page)

    context = browser.new_context()
    colleague_page = context.new_page()
    log_in(colleague_page, live_server.url, "colleague")
    response = colleague_page.goto(f"{live_server.url}/clients/{person.pk}/")
    assert response.status == 403
    assert colleague_page.get_by_role("link", name="Request emergency access").is_visible()
    check_a11y(colleague_page)
    context.close()


def test_team_leader_assigns_a_contact_person(page, live_server, leader, colleague, case, unit):
    log_in(page, live_server.url, "leader")
    page.wait_for_url(f"**/units/{unit.pk}/")
    check_a11y(page)
    page.get_by_role("link", name=f"New contact person for {case.person.full_name}").click()
    page.wait_for_url(f"**/cases/{case.pk}/assign/")
    check_a11y(page)
    page.get_by_label(re.compile(r"^Contact person")).select_option(str(colleague.pk))
    page.get_by_role("button", name="Assign").click()
    page.get_by_text("is now contact person").wait_for()
