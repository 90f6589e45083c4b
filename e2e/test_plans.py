"""A plan written with the client: the worker writes two goals in the client's words with
steps (autosaved), shares and signs it; the client opens it on a phone and accepts it;
the worker sees the answer; both get the plan as a PDF. axe on every page visited."""

import re

import pytest

from e2e.conftest import PASSWORD, check_a11y, log_in, visit
from tillit.conftest import client_account

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _add_goal(page, text: str, why: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#new-goal-text", text)
    page.fill("#new-goal-why", why)
    page.get_by_role("button", name="Add the goal").click()
    page.get_by_text(text).first.wait_for()


def _add_step(page, goal, text: str, doer: str, name: str = "") -> None:  # type: ignore[no-untyped-def]
    goal.locator("summary").click()
    form = goal.locator("details form")
    form.locator("textarea[name=text]").fill(text)
    form.locator("select[name=doer]").select_option(doer)
    if name:
        form.locator("input[name=doer_name]").fill(name)
    form.get_by_role("button", name="Add the step").click()
    page.wait_for_load_state()


def test_worker_and_client_write_share_sign_and_accept_a_plan(
    page, phone, live_server, worker, case, person
):
    base = live_server.url
    log_in(page, base, "worker")
    visit(page, f"{base}/clients/{person.pk}/")
    page.get_by_role("link", name="Plans", exact=True).click()
    page.wait_for_url(re.compile(r"/plans/clients/\d+/$"))
    check_a11y(page)
    page.get_by_label("Kind of plan").select_option("care")
    page.get_by_role("button", name="Start the plan").click()
    page.wait_for_url(re.compile(r"/plans/\d+/$"))
    plan_url = page.url
    check_a11y(page)

    _add_goal(page, "Jag vill bo i en egen lägenhet", "Så att min dotter kan sova över")
    _add_goal(page, "Jag vill ha ett jobb", "Då får dagarna en form")
    goals = page.locator("article.goal")
    assert goals.count() == 2
    _add_step(page, goals.nth(0), "Ställa mig i bostadskön", "client")
    _add_step(page, goals.nth(0), "Hjälpa till med flytten", "network", "Min bror Ali")
    _add_step(page, goals.nth(1), "Boka möte med arbetsförmedlingen", "worker")
    check_a11y(page)

    # The goal saves itself a few seconds after typing stops, and survives a reload.
    first = goals.nth(0).locator("form.autosave").first.locator("textarea[name=text]")
    first.fill("Jag vill bo i en egen lägenhet nära parken")
    first.press("End")
    page.get_by_text("Saved (version 2).").wait_for(timeout=10_000)
    page.reload()
    assert "Jag vill bo i en egen lägenhet nära parken" in page.content()
    check_a11y(page)

    page.get_by_role("button", name="Share with the client").click()
    page.get_by_text("The plan is shared with the client.").wait_for()
    page.get_by_role("button", name="Sign the plan").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, sign the plan").click()
    page.get_by_text("The plan is signed.").wait_for()
    check_a11y(page)

    client_account(person)
    visit(phone, f"{base}/portal/login/")
    phone.get_by_label("Användarnamn").fill(f"client-{person.pk}")
    phone.get_by_label("Lösenord").fill(PASSWORD)
    phone.get_by_role("button", name="Logga in").click()
    phone.wait_for_url("**/portal/")
    phone.get_by_role("link", name="Min plan").click()
    phone.wait_for_url("**/plans/mine/")
    check_a11y(phone)
    phone.get_by_role("link", name=re.compile("Vårdplan")).click()
    phone.get_by_role("heading", name="Vårdplan").wait_for()
    assert "Jag vill bo i en egen lägenhet nära parken" in phone.content()
    assert "Min bror Ali" in phone.content()
    check_a11y(phone)
    phone.get_by_label("Ja, jag godkänner planen").check()
    phone.get_by_label("Med dina egna ord").fill("Det här är min plan.")
    phone.get_by_role("button", name="Skicka mitt svar").click()
    phone.get_by_text("Tack. Ditt svar är sparat med planen.").wait_for()
    check_a11y(phone)
    href = phone.get_by_role("link", name="Planen som PDF, att skriva ut").get_attribute("href")
    pdf = phone.request.get(f"{base}{href}")
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")

    visit(page, plan_url)
    assert "Accepted the plan" in page.content()
    assert "Det här är min plan." in page.content()
    href = page.get_by_role("link", name="PDF for the client").get_attribute("href")
    response = page.request.get(f"{base}{href}")
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")


def test_coordinated_plan_with_participants_is_accessible(page, live_server, worker, case):
    from tillit.plans import services
    from tillit.plans.tests.data import plan_with_goals

    plan = plan_with_goals(case, worker, kind="coordinated", goals=1, steps=2)
    services.participant_add(
        plan=plan,
        name="Eva Ek",
        agency="Vårdcentralen",
        role="Läkare",
        consent=True,
        consent_on=None,
    )
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/plans/{plan.pk}/")
    page.get_by_label("Consent to Eva Ek taking part").select_option("no")
    page.get_by_role("button", name="Save the consent").click()
    page.get_by_text("The consent is saved.").wait_for()
    check_a11y(page)
    page.get_by_role("button", name="Remove the step").first.click()
    page.get_by_text("The step is removed.").wait_for()
    assert page.locator("div.step").count() == 1
    check_a11y(page)
