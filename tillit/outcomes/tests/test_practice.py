"""Method use from real interventions on the leaders' methods page: an intervention with a
method, given by the unit's own staff, is the practice of the workers on its case while it
ran; a purchased one is the provider's. Conferences and network meetings held count too.
And the demo's interventions."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tillit.conftest import client_for
from tillit.org.models import Method
from tillit.outcomes import demo
from tillit.outcomes.models import Intervention
from tillit.outcomes.tests.helpers import provider


def _row(response, key, user):  # type: ignore[no-untyped-def]
    summary = next(s for s in response.context["summaries"] if s.method.key == key)
    return next(r for r in summary.rows if r.staff == user)


def test_interventions_with_a_method_count_as_practice(leader, worker, colleague, case):
    today = timezone.localdate()
    mi = Method.objects.get(key="mi")
    base = {"case": case, "kind": "method", "method": mi, "created_by": worker}
    Intervention.objects.create(**base, name="MI", started_on=today)
    Intervention.objects.create(**base, name="old", started_on=today - datetime.timedelta(days=400),
                                ended_on=today - datetime.timedelta(days=200))  # fmt: skip
    Intervention.objects.create(**base, name="bought", started_on=today, purchased=True,
                                provider=provider(kind="outpatient"))  # fmt: skip
    client = client_for(leader)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("org:methods"))
    assert _row(response, "mi", worker).practised == 1
    assert _row(response, "mi", colleague).practised == 0  # not on the case
    assert "1 intervention with the method" in response.content.decode()


def test_conferences_and_network_meetings_held_count(leader, worker, case):
    from tillit.network.models import FamilyConference, Meeting

    today = timezone.localdate()
    FamilyConference.objects.create(
        case=case, questions="?", agreement="Ja", held_on=today, created_by=worker
    )
    Meeting.objects.create(
        case=case, held_on=today, kind="network", purpose="Plan", created_by=worker
    )
    response = client_for(leader).get(reverse("org:methods"))
    assert _row(response, "fgc", worker).practised == 1
    assert _row(response, "network", worker).practised == 1


def test_the_demo_records_four_kinds_of_help(worker, case, unit):
    from tillit.factories import CaseFactory

    made = demo.load_demo([case, CaseFactory(unit=unit)], worker)
    assert [i.kind for i in made] == ["placement", "placement", "method", "housing"]
    hvb, family, bam, housing = made
    assert hvb.purchased and hvb.cost_amount and hvb.placement_form == "hvb"
    assert family.placement_form == "family_home" and family.provider
    assert bam.method.key == "bam" and not bam.purchased
    assert not housing.purchased
