"""An action that cannot be undone asks first (tillit/lib/confirm.py): finishing and signing
an assessment and signing a plan open a question in a dialog; Cancel leaves everything as
it was; without JavaScript the same button shows the question on a page of its own."""

import re

import pytest

from e2e.conftest import check_a11y, log_in, visit
from tillit.assessment import areas
from tillit.assessment.models import Assessment, LifeArea, Status
from tillit.assessment.services import assessment_start, client_view_record
from tillit.plans.models import Plan, PlanStatus
from tillit.plans.tests.data import plan_with_goals

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def assessment(worker, case):
    areas.load(LifeArea)  # a transactional test starts from a flushed database
    assessment = assessment_start(actor=worker, case=case)
    return client_view_record(
        assessment=assessment, view="agrees", statement="", revision=assessment.view_revision
    )


def test_finishing_an_assessment_asks_first_and_cancel_changes_nothing(
    page, live_server, worker, assessment
):
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/assessment/{assessment.pk}/")
    dialog = page.get_by_role("dialog")
    assert not dialog.is_visible()

    page.get_by_role("button", name="Finish and sign").click()
    dialog.wait_for()
    assert "Finish and sign the assessment with Kim Client?" in dialog.inner_text()
    assert "cannot be changed" in dialog.inner_text()
    cancel = dialog.get_by_role("button", name="Cancel")
    assert cancel.evaluate("button => button === document.activeElement")  # the safe choice
    check_a11y(page)
    cancel.click()
    dialog.wait_for(state="hidden")
    assessment.refresh_from_db()
    assert assessment.status != Status.FINISHED

    page.get_by_role("button", name="Finish and sign").click()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert Assessment.objects.get(pk=assessment.pk).status != Status.FINISHED

    page.get_by_role("button", name="Finish and sign").click()
    dialog.get_by_role("button", name="Yes, finish and sign").click()
    page.get_by_text("The assessment is finished and signed.").wait_for()
    assert Assessment.objects.get(pk=assessment.pk).status == Status.FINISHED
    check_a11y(page)


def test_signing_a_plan_asks_first(page, live_server, worker, case):
    plan = plan_with_goals(case, worker, state="shared")
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/plans/{plan.pk}/")

    page.get_by_role("button", name="Sign the plan").click()
    dialog = page.get_by_role("dialog")
    assert "A signed plan cannot be changed" in dialog.inner_text()
    check_a11y(page)
    dialog.get_by_role("button", name="Cancel").click()
    dialog.wait_for(state="hidden")
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SHARED

    page.get_by_role("button", name="Sign the plan").click()
    dialog.get_by_role("button", name="Yes, sign the plan").click()
    page.get_by_text("The plan is signed.").wait_for()
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.SIGNED


def test_without_javascript_the_question_is_a_page_of_its_own(
    browser, page, live_server, worker, assessment
):
    base = live_server.url
    log_in(page, base, "worker")
    visit(page, f"{base}/assessment/{assessment.pk}/finish/?view_revision=1")  # axe needs JS
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(10_000)
    context.add_cookies(page.context.cookies())  # the same login and language
    page = context.new_page()
    try:
        page.goto(f"{base}/assessment/{assessment.pk}/")
        page.get_by_role("button", name="Finish and sign").click()
        page.wait_for_url(re.compile(rf"/assessment/{assessment.pk}/finish/\?view_revision=\d+$"))
        assert page.get_by_role("heading", level=1).inner_text() == (
            "Finish and sign the assessment with Kim Client?"
        )
        page.get_by_role("link", name="Cancel").click()
        page.wait_for_url(f"**/assessment/{assessment.pk}/#client-view")
        assert Assessment.objects.get(pk=assessment.pk).status != Status.FINISHED

        page.get_by_role("button", name="Finish and sign").click()
        page.get_by_role("button", name="Yes, finish and sign").click()
        page.get_by_text("The assessment is finished and signed.").wait_for()
        assert Assessment.objects.get(pk=assessment.pk).status == Status.FINISHED
    finally:
        context.close()
