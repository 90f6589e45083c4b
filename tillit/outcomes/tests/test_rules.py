"""The rules of an intervention: in the database for one row (purchased from a provider, a
placement's form, a method named, an end after the start), in the service and the form for
the decision it carries out, and the decision's execution clock set once."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from tillit.conftest import client_for
from tillit.factories import CaseFactory
from tillit.org.models import Method
from tillit.outcomes import services
from tillit.outcomes.models import Intervention
from tillit.outcomes.tests.helpers import decision, provider

START = datetime.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def _refused_by_the_database(**fields) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(IntegrityError), transaction.atomic():
        Intervention.objects.create(**fields)


def test_the_database_refuses_a_row_that_breaks_a_rule(worker, case):
    base = {"case": case, "name": "X", "started_on": START, "created_by": worker}
    _refused_by_the_database(**base, kind="outpatient", purchased=True)  # no provider
    _refused_by_the_database(**base, kind="outpatient", provider=provider())  # own, yet a provider
    _refused_by_the_database(**base, kind="placement")  # no form
    _refused_by_the_database(**base, kind="outpatient", placement_form="hvb")  # not a placement
    _refused_by_the_database(**base, kind="method")  # no method
    _refused_by_the_database(**base, kind="other", cost_amount=Decimal("10"))  # per what?
    _refused_by_the_database(**base, kind="other", ended_on=START - datetime.timedelta(days=1))
    assert not Intervention.objects.exists()
    Intervention.objects.create(**base, kind="placement", placement_form="family_home")
    Intervention.objects.create(**base, kind="method", method=Method.objects.get(key="mi"))


def test_a_placement_cannot_end_before_it_starts(worker, case):
    placement = services.intervention_start(
        actor=worker, case=case, kind="placement", name="HVB", started_on=START,
        placement_form="hvb", purchased=True, provider=provider(),
    )  # fmt: skip
    with pytest.raises(ValidationError):
        services.intervention_end(intervention=placement, on=START - datetime.timedelta(days=1))
    services.intervention_end(intervention=placement, on=START)
    with pytest.raises(ValidationError):  # ended once
        services.intervention_end(intervention=placement, on=START + datetime.timedelta(days=9))
    placement.refresh_from_db()
    assert placement.ended_on == START


def test_a_purchased_placement_takes_the_providers_price(worker, case):
    home = provider()
    placement = services.intervention_start(
        actor=worker, case=case, kind="placement", name="HVB", started_on=START,
        placement_form="hvb", purchased=True, provider=home,
    )  # fmt: skip
    assert (placement.cost_amount, placement.cost_per) == (Decimal("2950"), "day")
    own = services.intervention_start(
        actor=worker, case=case, kind="placement", name="HVB", started_on=START,
        placement_form="hvb", purchased=True, provider=home,
        cost_amount=Decimal("2500"), cost_per="day",
    )  # fmt: skip
    assert own.cost_amount == Decimal("2500")


def test_the_form_explains_each_rule(worker, case):
    client = client_for(worker)
    url = reverse("outcomes:add", args=[case.pk])
    cases = {
        "A purchased intervention needs its provider": {"kind": "outpatient", "purchased": "on"},
        "Give the form of the placement.": {"kind": "placement"},
        "Choose the method from the methods register.": {"kind": "method"},
        "Only a placement has a form of placement.": {
            "kind": "group",
            "placement_form": "hvb",
        },
    }
    for message, data in cases.items():
        response = client.post(url, {"name": "X", "started_on": "2026-01-05"} | data)
        assert response.status_code == 400
        assert message in response.content.decode(), message
    assert not Intervention.objects.exists()


@pytest.mark.parametrize("which", ["other_case", "refused", "unsigned", "replaced"])
def test_only_a_decision_in_force_of_the_case_can_be_carried_out(worker, case, unit, which):
    other = CaseFactory(unit=unit)
    chosen = {
        "other_case": lambda: decision(other, worker),
        "refused": lambda: decision(case, worker, outcome="refused"),
        "unsigned": lambda: decision(case, worker, signed=False),
        "replaced": lambda: _replaced(case, worker),
    }[which]()
    data = {
        "kind": "placement",
        "placement_form": "family_home",
        "name": "Familjehem",
        "started_on": "2026-01-05",
        "decision": chosen.pk,
    }
    response = client_for(worker).post(reverse("outcomes:add", args=[case.pk]), data)
    assert response.status_code == 400
    assert response.context["forms"][0][1].errors["decision"]
    assert not Intervention.objects.exists()
    with pytest.raises(ValidationError) as refused:
        services.intervention_start(
            actor=worker, case=case, kind="placement", name="F", started_on=START,
            placement_form="family_home", decision=chosen,
        )  # fmt: skip
    assert "decision" in refused.value.message_dict
    chosen.refresh_from_db()
    assert chosen.carried_out_on is None


def _replaced(case, worker):  # type: ignore[no-untyped-def]
    old = decision(case, worker)
    decision(case, worker, replaces=old)
    return old


def test_the_first_intervention_starts_the_decisions_clock_once(worker, case):
    granted = decision(case, worker, kind="placement", outcome="partly")
    client = client_for(worker)
    data = {
        "kind": "placement",
        "placement_form": "family_home",
        "name": "Familjehem",
        "started_on": "2026-01-05",
        "decision": granted.pk,
    }
    response = client.post(reverse("outcomes:add", args=[case.pk]), data)
    assert response.status_code == 302
    granted.refresh_from_db()
    assert granted.carried_out_on == START
    assert Intervention.objects.get().decision == granted
    client.post(reverse("outcomes:add", args=[case.pk]), data | {"started_on": "2026-02-01"})
    granted.refresh_from_db()
    assert granted.carried_out_on == START  # set once, by the first
    assert Intervention.objects.count() == 2


def test_a_form_sent_twice_makes_one_intervention(worker, case):
    client = client_for(worker)
    data = {
        "kind": "housing",
        "name": "Boendestöd",
        "started_on": "2026-01-05",
        "submission": "5f0c6f3e-4a55-4c1d-9d9c-0a4f7d1e2b3c",
    }
    for _ in range(2):
        assert client.post(reverse("outcomes:add", args=[case.pk]), data).status_code == 302
    assert Intervention.objects.count() == 1


def test_others_cannot_add_or_end(worker, colleague, outsider, case):
    url = reverse("outcomes:add", args=[case.pk])
    data = {"kind": "housing", "name": "X", "started_on": "2026-01-05"}
    assert client_for(colleague).post(url, data).status_code == 403
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(worker).get(url).status_code == 405
    assert not Intervention.objects.exists()


def test_the_page_shows_provider_cost_form_and_decision(worker, case, person):
    granted = decision(case, worker)
    services.intervention_start(
        actor=worker, case=case, kind="placement", name="Granbacken", started_on=START,
        placement_form="hvb", purchased=True, provider=provider(), decision=granted,
    )  # fmt: skip
    html = client_for(worker).get(reverse("outcomes:person", args=[person.pk])).content.decode()
    assert "Purchased from Granbacken" in html
    assert "2950 per day" in html
    assert "Treatment home (HVB)" in html
    assert "Behandlingshem" in html  # the decision carried out
