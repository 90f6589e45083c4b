"""Interventions: recorded on a case, ended, and marked where they started on the
client's feedback chart."""

import datetime

from django.urls import reverse
from django.utils import timezone

from tillit.conftest import client_for
from tillit.feedback.tests.test_collect import record
from tillit.org.models import Method
from tillit.outcomes.models import Intervention


def test_worker_records_and_ends_an_intervention(worker, case, person):
    client = client_for(worker)
    client.post(
        reverse("outcomes:add", args=[case.pk]),
        {"kind": "method", "method": "bam", "name": "BaM", "started_on": "2026-01-05"},
    )
    intervention = Intervention.objects.get()
    assert intervention.case == case and intervention.created_by == worker
    assert intervention.method == Method.objects.get(key="bam") and not intervention.purchased
    client.post(reverse("outcomes:end", args=[intervention.pk]), {"ended_on": "2026-03-01"})
    intervention.refresh_from_db()
    assert intervention.ended_on == datetime.date(2026, 3, 1)
    page = client.get(reverse("outcomes:person", args=[person.pk])).content.decode()
    assert "BaM" in page


def test_future_start_and_end_before_start_are_refused(worker, case):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    later = (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    response = client.post(
        reverse("outcomes:add", args=[case.pk]), {"kind": "group", "name": "X", "started_on": later}
    )
    assert response.status_code == 400
    assert "cannot start in the future" in response.content.decode()
    assert not Intervention.objects.exists()

    intervention = Intervention.objects.create(
        case=case, kind="group", name="Y", started_on="2026-02-01", created_by=worker
    )
    response = client.post(
        reverse("outcomes:end", args=[intervention.pk]), {"ended_on": "2026-01-01"}, follow=True
    )
    assert "Give an end date on or after the start." in response.content.decode()
    assert Intervention.objects.get().ended_on is None


def test_the_chart_marks_where_an_intervention_started(worker, case, person):
    today = timezone.localdate()
    first = record(
        _entry(case, worker, 30), "relationship", 5, given_on=today - datetime.timedelta(days=30)
    )
    record(_entry(case, worker, 2), "relationship", 8, given_on=today - datetime.timedelta(days=2))
    Intervention.objects.create(
        case=case,
        kind="method",
        method=Method.objects.get(key="cra"),
        name="CRA",
        started_on=first.given_on + datetime.timedelta(days=10),
        created_by=worker,
    )
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("feedback:person", args=[person.pk]))
    assert [label for _x, label in response.context["chart"].marks] == ["Started: CRA"]
    assert "CRA started" in response.content.decode()


def _entry(case, worker, days_ago):  # type: ignore[no-untyped-def]
    from tillit.factories import EntryFactory

    when = timezone.now() - datetime.timedelta(days=days_ago)
    return EntryFactory(case=case, author=worker, signed=True, happened_at=when)
