"""The client's side: their own shared and signed plans in the portal, their answer,
and the plan on paper in their own language."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tillit.conftest import client_for
from tillit.factories import CaseFactory
from tillit.plans import services
from tillit.plans.models import PlanResponse
from tillit.plans.tests.data import plan_with_goals

pytestmark = pytest.mark.django_db


def test_client_never_sees_a_draft(worker, case, client_self):
    draft = plan_with_goals(case, worker)
    draft.goals.update(text="Hemligt utkast")
    client = client_for(client_self)
    assert client.get(reverse("plans:own", args=[draft.pk])).status_code == 404
    assert client.get(reverse("plans:own_pdf", args=[draft.pk])).status_code == 404
    assert "Hemligt utkast" not in client.get(reverse("plans:mine")).content.decode()


def test_client_reads_a_shared_plan(worker, case, client_self):
    plan = plan_with_goals(case, worker, state="shared")
    client = client_for(client_self)
    assert (
        reverse("plans:own", args=[plan.pk]) in client.get(reverse("plans:mine")).content.decode()
    )
    page = client.get(reverse("plans:own", args=[plan.pk])).content.decode()
    assert "Mål 1: ett eget boende" in page
    # Only a signed plan is answered.
    assert reverse("plans:respond", args=[plan.pk]) not in page
    response = client.post(reverse("plans:respond", args=[plan.pk]), {"accepted": "yes"})
    assert response.status_code == 400
    assert not PlanResponse.objects.exists()


def test_client_sees_only_their_own_plans(worker, unit, client_other):
    other_person = client_other.client_account.person
    other_case = CaseFactory(person=other_person, unit=unit)
    theirs = plan_with_goals(other_case, worker, state="signed")
    mine = client_for(client_other).get(reverse("plans:mine")).content.decode()
    assert reverse("plans:own", args=[theirs.pk]) in mine


def test_client_accepts_the_signed_plan_and_the_worker_sees_it(worker, case, client_self):
    plan = plan_with_goals(case, worker, state="signed")
    response = client_for(client_self).post(
        reverse("plans:respond", args=[plan.pk]), {"accepted": "yes", "text": "Bra plan"}
    )
    assert response["Location"] == reverse("plans:own", args=[plan.pk])
    answer = plan.responses.get()
    assert answer.accepted and answer.text == "Bra plan"
    staff = client_for(worker)
    staff.cookies["django_language"] = "en"
    page = staff.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Accepted the plan" in page and "Bra plan" in page


def test_accepting_with_a_double_tap_is_one_answer_and_a_new_answer_is_kept(
    worker, case, client_self
):
    plan = plan_with_goals(case, worker, state="signed")
    client = client_for(client_self)
    page = client.get(reverse("plans:own", args=[plan.pk])).content.decode()
    (key,) = re.findall(r'name="submission" value="([0-9a-f-]{36})"', page)
    url = reverse("plans:respond", args=[plan.pk])

    for _ in range(2):
        assert client.post(url, {"accepted": "yes", "submission": key}).status_code == 302
    assert plan.responses.count() == 1

    # The client changes their mind on a fresh form: both answers are kept, the newest counts.
    page = client.get(reverse("plans:own", args=[plan.pk])).content.decode()
    (fresh,) = re.findall(r'name="submission" value="([0-9a-f-]{36})"', page)
    assert fresh != key
    client.post(url, {"accepted": "no", "text": "Inte än", "submission": fresh})
    assert [r.accepted for r in plan.responses.all()] == [False, True]


def test_not_accepting_needs_the_clients_own_words(worker, case, client_self):
    plan = plan_with_goals(case, worker, state="signed")
    client = client_for(client_self)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("plans:respond", args=[plan.pk]), {"accepted": "no"})
    assert response.status_code == 400
    assert "Say in your own words what you do not accept." in response.content.decode()
    client.post(
        reverse("plans:respond", args=[plan.pk]),
        {"accepted": "no", "text": "Jag vill inte flytta än"},
    )
    answer = plan.responses.get()
    assert not answer.accepted and answer.text == "Jag vill inte flytta än"


def test_answer_must_be_yes_or_no(worker, case, client_self):
    plan = plan_with_goals(case, worker, state="signed")
    response = client_for(client_self).post(
        reverse("plans:respond", args=[plan.pk]), {"accepted": "maybe"}
    )
    assert response.status_code == 400
    assert not PlanResponse.objects.exists()


def _pdf_text(response) -> str:  # type: ignore[no-untyped-def]
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("language", "title"),
    [("sv", "Vårdplan"), ("nb", "Tiltaksplan"), ("en", "Care plan")],
)
def test_pdf_is_in_the_clients_language(language, title, worker, unit, client_self):
    person = client_self.client_account.person
    person.preferred_language = language
    person.save()
    case = CaseFactory(person=person, unit=unit)
    from tillit.factories import AssignmentFactory

    AssignmentFactory(case=case, worker=worker)
    plan = plan_with_goals(case, worker, goals=0)
    goal = services.goal_add(
        plan=plan, text="Få tillbaka körkortet: åäö ÅÄÖ", why="Så jeg kan kjøre: æøå ÆØÅ"
    )
    services.step_add(goal=goal, text="Søke hjelp", doer="client", due_on=None)
    services.plan_share(actor=worker, plan=plan)

    staff_text = _pdf_text(client_for(worker).get(reverse("plans:pdf", args=[plan.pk])))
    own_text = _pdf_text(client_for(client_self).get(reverse("plans:own_pdf", args=[plan.pk])))

    for text in (staff_text, own_text):
        assert title in text
        assert "Få tillbaka körkortet: åäö ÅÄÖ" in text
        assert "Så jeg kan kjøre: æøå ÆØÅ" in text
        assert "Søke hjelp" in text


def test_another_clients_plan_is_not_found(worker, case, client_other):
    plan = plan_with_goals(case, worker, state="signed")
    client = client_for(client_other)
    for name in ("plans:own", "plans:own_pdf"):
        assert client.get(reverse(name, args=[plan.pk])).status_code == 404
    assert (
        client.post(reverse("plans:respond", args=[plan.pk]), {"accepted": "yes"}).status_code
        == 404
    )


def test_client_sees_that_a_newer_version_replaced_the_one_they_answered(worker, case, client_self):
    first = plan_with_goals(case, worker, state="signed")
    second = services.plan_new_version(actor=worker, plan=first)
    client = client_for(client_self)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("plans:own", args=[first.pk])).content.decode()
    assert "A newer version has replaced this one" not in page  # a draft is not shown
    services.plan_share(actor=worker, plan=second)
    page = client.get(reverse("plans:own", args=[first.pk])).content.decode()
    assert reverse("plans:own", args=[second.pk]) in page
    assert (
        "A newer version has replaced this one."
        in client.get(reverse("plans:mine")).content.decode()
    )


@pytest.mark.parametrize("size", [1, 4])
def test_own_plan_page_queries_do_not_grow(
    size, worker, case, client_self, django_assert_num_queries
):
    plan = plan_with_goals(case, worker, goals=size, steps=size, state="signed")
    client = client_for(client_self)
    client.get(reverse("plans:own", args=[plan.pk]))
    # Session, its user with their roles, account, audit row, the plan
    # (checked, then in full with goals, steps, participants, reviews, answers), a newer
    # version.
    with django_assert_num_queries(12):
        response = client.get(reverse("plans:own", args=[plan.pk]))
    assert response.content.decode().count('class="goal"') == size
