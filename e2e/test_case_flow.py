"""The whole case, in a browser: intake decides on the inquiry and hands the case to the
outpatient unit; its team leader accepts it and names a contact person; that worker
records a refusal with the appeal information and prints the letter, grants outpatient
help and starts it, closes the case with follow-ups, and makes a one-time link that the
client answers on a phone. axe on every page visited."""

import datetime
import re

import pytest
from django.utils import timezone

from e2e.conftest import check_a11y, log_in, visit
from tillit.clients.models import Case, Handover
from tillit.decisions import laws
from tillit.decisions.models import Decision, Law
from tillit.factories import UserFactory
from tillit.feedback.services import instruments_load
from tillit.followup.models import Closing, FollowUp
from tillit.org.models import Role
from tillit.outcomes.models import Intervention

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def other_worker(other_unit):
    return UserFactory.member(other_unit, Role.WORKER, username="other_worker")


def test_a_case_from_inquiry_to_the_clients_answer_after_closing(
    page, phone, live_server, worker, other_leader, other_worker, other_unit, case, person
):
    laws.load(Law)  # a transactional test starts from a flushed database
    instruments_load()
    Case.objects.filter(pk=case.pk).update(status="inquiry")
    base = live_server.url

    # Intake: open an assessment, with the reason, and hand the case over.
    log_in(page, base, "worker")
    visit(page, f"{base}/clients/{person.pk}/")
    page.get_by_label("Yes, open an assessment").check()
    page.get_by_label(re.compile(r"^Reason")).fill("Applies for help with alcohol.")
    page.get_by_role("button", name="Record the decision on the inquiry").click()
    page.get_by_text("Assessment opened:").wait_for()
    page.get_by_text("Hand over to another unit").click()
    page.get_by_label("To unit").select_option(label=other_unit.name)
    page.get_by_label("Note to the receiving unit").fill("Wants outpatient help; works days.")
    page.get_by_role("button", name="Hand over", exact=True).click()
    page.get_by_text("waiting for their team leader").wait_for()
    check_a11y(page)
    page.context.clear_cookies()

    # The receiving unit's team leader accepts and names the contact person.
    log_in(page, base, "other_leader")
    visit(page, f"{base}/units/{other_unit.pk}/")
    page.get_by_text("Wants outpatient help; works days.").wait_for()
    page.locator("select[name=worker]").first.select_option(str(other_worker.pk))
    page.get_by_role("button", name="Accept the case").click()
    page.get_by_text("is now this unit's").wait_for()
    check_a11y(page)
    assert Handover.objects.get().state == "accepted"
    page.context.clear_cookies()

    # The new contact person: a refusal with the appeal information, and its letter.
    log_in(page, base, "other_worker")
    visit(page, f"{base}/decisions/clients/{person.pk}/")
    page.get_by_role("link", name=re.compile(r"^New decision")).click()
    check_a11y(page)
    page.get_by_label("Kind of help").select_option("placement")
    page.get_by_label("What was applied for or offered").fill("Treatment home")
    page.get_by_label(re.compile(r"^Decision:?$")).select_option("refused")
    page.get_by_label("Grounds").fill("Outpatient help is tried first; the need is met there.")
    page.get_by_label(re.compile(r"^Law:?$")).select_option(index=1)
    appeal = page.get_by_label("How to appeal").input_value()
    assert "tre veckor" in appeal  # the standard text, in the client's language (sv)
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    page.get_by_role("button", name="Sign the decision").click()
    dialog = page.get_by_role("dialog")
    dialog.wait_for()
    check_a11y(page)
    dialog.get_by_role("button", name="Yes, sign the decision").click()
    page.get_by_role("link", name="Decision letter (PDF)").wait_for()
    check_a11y(page)
    refused = Decision.objects.get()
    assert refused.signed_at and refused.outcome == "refused"
    letter = page.request.get(f"{base}/decisions/{refused.pk}/letter/")
    assert letter.headers["content-type"] == "application/pdf"
    assert letter.body().startswith(b"%PDF")

    # A granted decision, ended yesterday, carried out by outpatient help.
    started = timezone.localdate() - datetime.timedelta(days=40)
    visit(page, f"{base}/decisions/clients/{person.pk}/")
    page.get_by_role("link", name=re.compile(r"^New decision")).click()
    page.get_by_label("Kind of help").select_option("outpatient")
    page.get_by_label("What was applied for or offered").fill("Outpatient treatment")
    page.get_by_label(re.compile(r"^Decision:?$")).select_option("granted")
    page.get_by_label(re.compile(r"^From:?$")).fill(started.isoformat())
    page.get_by_label(re.compile(r"^Until:?$")).fill(
        (timezone.localdate() - datetime.timedelta(days=1)).isoformat()
    )
    page.get_by_label("Grounds").fill("The assessment shows a need for outpatient help.")
    page.get_by_label(re.compile(r"^Law:?$")).select_option(index=1)
    page.get_by_role("button", name="Save as a draft").click()
    page.wait_for_url(re.compile(r"/decisions/\d+/$"))
    page.get_by_role("button", name="Sign the decision").click()
    page.get_by_role("dialog").get_by_role("button", name="Yes, sign the decision").click()
    page.get_by_role("link", name="Decision letter (PDF)").wait_for()
    granted = Decision.objects.get(outcome="granted")

    visit(page, f"{base}/outcomes/clients/{person.pk}/interventions/")
    page.get_by_label(re.compile(r"^Kind:?$")).select_option("outpatient")
    page.get_by_label(re.compile(r"^What:?$")).fill("Outpatient talks every other week")
    page.get_by_label(re.compile(r"^Started:?$")).fill(started.isoformat())
    page.get_by_label(re.compile(r"^Decision carried out")).select_option(str(granted.pk))
    page.get_by_role("button", name="Record").click()
    page.get_by_text("Outpatient talks every other week").first.wait_for()
    check_a11y(page)
    granted.refresh_from_db()
    assert granted.carried_out_on == started
    assert Intervention.objects.get().decision == granted

    # Closing, with follow-ups at 6 and 12 months.
    visit(page, f"{base}/clients/{person.pk}/")
    page.get_by_role("link", name="Close the case").click()
    check_a11y(page)
    page.get_by_label("The goals are reached").check()
    page.get_by_label("The client's own summary, in their words").fill("I manage on my own now.")
    page.get_by_role("button", name="Close the case").click()
    page.wait_for_load_state()
    check_a11y(page)
    closing = Closing.objects.get()
    assert closing.reason == "goals_reached"
    assert FollowUp.objects.filter(closing=closing).count() == 2

    # A one-time link for the first follow-up, answered on the client's phone.
    first = FollowUp.objects.filter(closing=closing).order_by("due_on").first()
    visit(page, f"{base}/followup/followups/{first.pk}/")
    page.get_by_role("button", name="Make a link for the client's phone").click()
    link = page.locator("#one-time-link").input_value()
    check_a11y(page)

    visit(phone, link + ("&" if "?" in link else "?") + "lang=en")
    phone.get_by_label("Better, and it has stayed better").check()
    phone.get_by_label("Is there anything you want to tell us? In your own words.").fill(
        "I have a job now."
    )
    phone.get_by_role("button").last.click()
    phone.wait_for_load_state()
    check_a11y(phone)
    first.refresh_from_db()
    assert (first.state, first.change, first.channel) == ("held", "lasting", "link")
    assert first.client_words == "I have a job now."
    # The link works once.
    assert phone.goto(link).status == 404
