"""Recording a decision: a draft on the case, edited while a draft, signed once asked, with
its grounds and how to appeal in the client's language; changed only by a new decision
that replaces it; told to the client; printed as a letter."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.decisions import services
from tillit.decisions.appeal import standard_text
from tillit.decisions.models import Decision
from tillit.decisions.tests.data import decision
from tillit.factories import AssignmentFactory, CaseFactory, PersonFactory
from tillit.lib import ids

FORM = {
    "kind": "housing",
    "origin": "applied",
    "what": "Träningslägenhet",
    "outcome": "refused",
    "law": "se-sol-2025-assessed",
    "starts_on": "",
    "ends_on": "",
    "grounds": "",
    "delegation": "Delegationsordningen p. 3.1",
    "appeal_info": "Överklaga till förvaltningsrätten inom tre veckor.",
}


def english(user):  # type: ignore[no-untyped-def]
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.parametrize(
    ("language", "words"),
    [("sv", "förvaltningsrätten"), ("nb", "förvaltningsrätten"), ("en", "administrative court")],
)
def test_the_new_form_has_the_appeal_text_in_the_clients_language(
    worker, case, person, language, words
):
    person.preferred_language = language
    person.save()
    form = english(worker).get(reverse("decisions:new", args=[case.pk])).context["form"]
    assert form.initial["appeal_info"] == standard_text("SE", language)
    assert words in form.initial["appeal_info"]
    assert "tre veckor" in standard_text("SE", "sv")
    assert "tre uker" in standard_text("SE", "nb")
    assert "three weeks" in standard_text("SE", "en")
    # Swedish laws only for a client with a Swedish number.
    assert {law.country for law in form.fields["law"].queryset} == {"SE"}


def test_a_norwegian_client_gets_norwegian_laws_and_the_klage_text(worker, unit):
    person = PersonFactory(
        id_country=ids.NORWAY,
        id_number=ids.make_norwegian("010180", 123) or "",
        preferred_language="nb",
    )
    case = CaseFactory(person=person, unit=unit)
    AssignmentFactory(case=case, worker=worker)
    form = english(worker).get(reverse("decisions:new", args=[case.pk])).context["form"]
    assert {law.country for law in form.fields["law"].queryset} == {"NO"}
    assert "Statsforvalteren" in form.initial["appeal_info"]
    assert "tre uker" in form.initial["appeal_info"]
    assert "forvaltningsloven § 29" in standard_text("NO", "en")


def test_a_decision_is_drafted_edited_and_signed(worker, case, person):
    client = english(worker)
    response = client.post(reverse("decisions:new", args=[case.pk]), FORM)
    draft = Decision.objects.get()
    assert response.status_code == 302
    assert (draft.case, draft.decided_by, draft.signed_at) == (case, worker, None)
    assert draft.law.key == "se-sol-2025-assessed"

    edit = {**FORM, "grounds": "Behovet kan mötas i öppenvården.", "revision": draft.revision}
    assert client.post(reverse("decisions:edit", args=[draft.pk]), edit).status_code == 302
    draft.refresh_from_db()
    assert draft.grounds == "Behovet kan mötas i öppenvården."

    asks = client.get(reverse("decisions:sign", args=[draft.pk]))
    assert "Yes, sign the decision" in asks.content.decode()
    assert Decision.objects.get().signed_at is None  # the question signs nothing

    assert client.post(reverse("decisions:sign", args=[draft.pk])).status_code == 302
    signed = Decision.objects.get()
    assert signed.is_signed and signed.decided_on == timezone.localdate()
    assert AccessLog.objects.filter(action="sign", case=case).count() == 1
    page = client.get(reverse("decisions:person", args=[person.pk])).content.decode()
    assert "Träningslägenhet" in page and "Signed" in page


def test_the_same_form_sent_twice_makes_one_draft(worker, case):
    client = client_for(worker)
    form = client.get(reverse("decisions:new", args=[case.pk])).context["form"]
    key = str(form["submission"].value())
    for _ in range(2):
        client.post(reverse("decisions:new", args=[case.pk]), {**FORM, "submission": key})
    assert Decision.objects.count() == 1


def test_grounds_and_appeal_information_are_needed_to_sign(worker, case):
    draft = decision(case, worker, grounds="", appeal_info="")
    client = english(worker)
    response = client.post(reverse("decisions:sign", args=[draft.pk]))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Write the grounds for the decision before it is signed." in page
    assert "Say how to appeal before the decision is signed." in page
    assert Decision.objects.get().signed_at is None

    client.cookies["django_language"] = "sv"
    page = client.post(reverse("decisions:sign", args=[draft.pk])).content.decode()
    assert "Skriv skälen för beslutet innan det undertecknas." in page


def test_an_end_before_the_start_is_refused_and_nothing_is_lost(worker, case):
    client = english(worker)
    form = {**FORM, "starts_on": "2026-03-01", "ends_on": "2026-02-01", "grounds": "Mina ord"}
    response = client.post(reverse("decisions:new", args=[case.pk]), form)
    assert response.status_code == 400
    page = response.content.decode()
    assert "The end date cannot be before the start date." in page
    assert "Mina ord" in page
    assert not Decision.objects.exists()
    client.cookies["django_language"] = "nb"
    page = client.post(reverse("decisions:new", args=[case.pk]), form).content.decode()
    assert "Sluttdatoen kan ikke være før startdatoen." in page


def test_a_signed_decision_is_not_edited_through_the_page(worker, case):
    signed = decision(case, worker, state="signed")
    client = english(worker)
    edit = {**FORM, "grounds": "New", "revision": signed.revision}
    response = client.post(reverse("decisions:edit", args=[signed.pk]), edit, follow=True)
    assert "A signed decision cannot be changed" in response.content.decode()
    assert Decision.objects.get().grounds == "Behovet är styrkt."


def test_a_draft_saved_elsewhere_meanwhile_is_a_conflict_not_a_loss(worker, leader, case):
    draft = decision(case, worker)
    read_at = draft.revision
    english(leader).post(
        reverse("decisions:edit", args=[draft.pk]),
        {**FORM, "grounds": "The leader's words", "revision": read_at},
    )
    response = english(worker).post(
        reverse("decisions:edit", args=[draft.pk]),
        {**FORM, "grounds": "The worker's words", "revision": read_at},
    )
    page = response.content.decode()
    assert "data-conflict" in page and "The worker&#x27;s words" in page
    assert Decision.objects.get().grounds == "The leader's words"


def test_a_draft_is_discarded_and_a_signed_one_is_not(worker, case):
    client = english(worker)
    draft = decision(case, worker)
    client.post(reverse("decisions:discard", args=[draft.pk]))
    assert not Decision.objects.filter(pk=draft.pk).exists()
    signed = decision(case, worker, state="signed")
    client.post(reverse("decisions:discard", args=[signed.pk]))
    assert Decision.objects.filter(pk=signed.pk).exists()


def test_a_decision_is_changed_by_a_new_one_that_replaces_it(worker, case, person):
    old = decision(case, worker, state="signed", ends_on=datetime.date(2030, 1, 1))
    client = english(worker)
    form = client.get(reverse("decisions:replace", args=[old.pk])).context["form"]
    assert form.initial["what"] == old.what and form.initial["grounds"] == old.grounds
    data = {
        **FORM,
        "outcome": "granted",
        "what": old.what,
        "ends_on": timezone.localdate().isoformat(),
        "grounds": "Avslutas i förtid på egen begäran.",
        "appeal_info": old.appeal_info,
    }
    client.post(reverse("decisions:replace", args=[old.pk]), data)
    new = Decision.objects.get(replaces=old)
    # A draft replaces nothing yet: the old one holds.
    page = client.get(reverse("decisions:decision", args=[old.pk])).content.decode()
    assert "will replace this one is in draft" in page
    # Only one new decision per decision.
    again = client.post(reverse("decisions:replace", args=[old.pk]), data, follow=True)
    assert "There is already a new decision that replaces this one." in again.content.decode()
    assert Decision.objects.filter(replaces=old).count() == 1

    client.post(reverse("decisions:sign", args=[new.pk]))
    page = client.get(reverse("decisions:decision", args=[old.pk])).content.decode()
    assert "Replaced by the decision of" in page and "Behovet är styrkt." in page
    listing = client.get(reverse("decisions:person", args=[person.pk])).content.decode()
    assert "Replaced" in listing
    assert Decision.objects.get(pk=old.pk).ends_on == datetime.date(2030, 1, 1)


def test_a_draft_is_not_replaced_but_edited(worker, case):
    draft = decision(case, worker)
    response = english(worker).get(reverse("decisions:replace", args=[draft.pk]), follow=True)
    assert "only a signed decision is replaced" in response.content.decode()


def test_when_and_how_the_client_was_told(worker, case):
    signed = decision(case, worker, state="signed")
    client = english(worker)
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    response = client.post(
        reverse("decisions:communicated", args=[signed.pk]),
        {"communicated_on": future, "communicated_how": "letter"},
    )
    assert response.status_code == 400
    assert "The date cannot be in the future." in response.content.decode()
    today = timezone.localdate().isoformat()
    client.post(
        reverse("decisions:communicated", args=[signed.pk]),
        {"communicated_on": today, "communicated_how": "digital"},
    )
    signed.refresh_from_db()
    assert (signed.communicated_on, signed.communicated_how) == (timezone.localdate(), "digital")


def test_the_letter_is_a_pdf_in_the_clients_language_audited_as_a_print(worker, case, person):
    person.preferred_language = "en"
    person.save()
    signed = decision(
        case, worker, state="signed", outcome="refused", appeal_info=standard_text("SE", "en")
    )
    response = client_for(worker).get(reverse("decisions:letter", args=[signed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    row = AccessLog.objects.latest("id")
    assert (row.action, row.case, row.detail) == ("print", case, {"decision": signed.pk})


def test_a_draft_has_no_letter(worker, case):
    draft = decision(case, worker)
    before = AccessLog.objects.count()
    response = client_for(worker).get(reverse("decisions:letter", args=[draft.pk]))
    assert response.status_code == 403
    assert AccessLog.objects.count() == before


def test_the_letter_says_how_to_appeal(worker, case):
    from tillit.decisions.views import render_letter

    signed = decision(case, worker, state="signed", outcome="partly")
    pdf = render_letter(Decision.objects.select_related("case__person").get(pk=signed.pk))
    assert pdf.startswith(b"%PDF") and len(pdf) > 1000


def test_the_client_page_has_a_decisions_section(worker, case, person):
    decision(case, worker, state="signed")
    page = english(worker).get(reverse("clients:person", args=[person.pk])).content.decode()
    assert reverse("decisions:person", args=[person.pk]) in page
    assert "1 decision not yet told to the client" in page


def test_a_closed_case_takes_no_new_decision(worker, case):
    case.set_status("closed")
    with translation.override("en"), pytest.raises(ValidationError, match="closed"):
        decision(case, worker)


# -- who may ------------------------------------------------------------------------------


def test_the_team_leader_decides_and_signs_under_delegation(worker, leader, case):
    draft = decision(case, worker)
    assert english(leader).post(reverse("decisions:sign", args=[draft.pk])).status_code == 302
    assert Decision.objects.get().decided_by == leader


def test_a_colleague_the_other_unit_and_an_unnamed_leader_are_refused(
    worker, colleague, outsider, other_leader, leader, unit
):
    person = PersonFactory(protected_identity=True)
    case = CaseFactory(person=person, unit=unit)
    AssignmentFactory(case=case, worker=worker)
    person.named_staff.add(worker)
    signed = decision(case, worker, state="signed")
    before = AccessLog.objects.count()
    for user, status in [(colleague, 404), (outsider, 404), (other_leader, 404), (leader, 404)]:
        for name in ("decisions:decision", "decisions:letter"):
            assert client_for(user).get(reverse(name, args=[signed.pk])).status_code == status
        response = client_for(user).post(reverse("decisions:new", args=[case.pk]), FORM)
        assert response.status_code == status
    assert AccessLog.objects.count() == before
    assert (
        client_for(worker).get(reverse("decisions:decision", args=[signed.pk])).status_code == 200
    )


def test_a_colleague_in_the_unit_gets_403(worker, colleague, case):
    signed = decision(case, worker, state="signed")
    assert (
        client_for(colleague).get(reverse("decisions:decision", args=[signed.pk])).status_code
        == 403
    )
    response = client_for(colleague).post(
        reverse("decisions:delay", args=[signed.pk]), {"delay_reason": "x"}
    )
    assert response.status_code == 403


def test_emergency_access_reads_but_does_not_decide(worker, colleague, case, person):
    from tillit.clients import services as client_services

    signed = decision(case, worker, state="signed")
    client_services.emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )
    client = client_for(colleague)
    assert client.get(reverse("decisions:person", args=[person.pk])).status_code == 200
    assert client.get(reverse("decisions:decision", args=[signed.pk])).status_code == 200
    assert client.post(reverse("decisions:new", args=[case.pk]), FORM).status_code == 403
    assert client.post(reverse("decisions:sign", args=[signed.pk])).status_code == 403


def test_a_get_on_an_action_that_posts_is_refused(worker, case):
    signed = decision(case, worker, state="signed")
    client = client_for(worker)
    for name in (
        "decisions:edit",
        "decisions:discard",
        "decisions:communicated",
        "decisions:delay",
    ):
        assert client.get(reverse(name, args=[signed.pk])).status_code == 405


def test_services_refuse_a_replacement_on_another_case(worker, case, unit):
    other = CaseFactory(person=case.person, unit=unit)
    old = decision(case, worker, state="signed")
    with translation.override("en"):
        with pytest.raises(ValidationError, match="same case"):
            decision(other, worker, replaces=old)
        assert services.missing_to_sign(decision(case, worker, grounds=" ")) == {
            "grounds": "Write the grounds for the decision before it is signed."
        }


def test_signing_twice_signs_once_and_says_so(worker, leader, case):
    draft = decision(case, worker)
    assert english(worker).post(reverse("decisions:sign", args=[draft.pk])).status_code == 302
    signed_at = Decision.objects.get().signed_at
    response = english(leader).post(reverse("decisions:sign", args=[draft.pk]), follow=True)
    assert "This decision is already signed." in response.content.decode()
    stored = Decision.objects.get()
    assert (stored.signed_at, stored.decided_by) == (signed_at, worker)


def test_a_replacement_sent_twice_is_one_new_decision(worker, case):
    old = decision(case, worker, state="signed")
    client = client_for(worker)
    form = client.get(reverse("decisions:replace", args=[old.pk])).context["form"]
    data = {**FORM, "submission": str(form["submission"].value())}
    for _ in range(2):
        assert client.post(reverse("decisions:replace", args=[old.pk]), data).status_code == 302
    assert Decision.objects.filter(replaces=old).count() == 1


def test_emergency_access_is_offered_no_form(worker, colleague, case, person):
    from tillit.clients import services as client_services

    signed = decision(case, worker, state="signed")
    client_services.emergency_access_open(
        actor=colleague, person=person, category="contact", reason="Called at night in crisis"
    )
    page = client_for(colleague).get(reverse("decisions:decision", args=[signed.pk]))
    assert 'method="post"' not in page.content.decode().split("<main")[1]
