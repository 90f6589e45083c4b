"""Editing a moment is saved against the revision it was read at (tillit/lib/revisions.py):
a stale edit shows both versions, writes nothing, and the writer keeps theirs or not."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tillit.bam import services
from tillit.bam.models import Moment
from tillit.conftest import client_for
from tillit.lib.revisions import Conflict

YESTERDAY = timezone.now() - datetime.timedelta(days=1)


@pytest.fixture
def moment(case, worker):
    return services.moment_record(
        actor=worker,
        person=case.person,
        case=case,
        kind="weak",
        happened_at=YESTERDAY,
        title="Payday",
        antecedent="Got paid, alone at home",
        tags=["payday"],
    )


def _form(moment, **fields):  # type: ignore[no-untyped-def]
    at = timezone.localtime(moment.happened_at).strftime("%Y-%m-%dT%H:%M")
    return {"kind": moment.kind, "happened_at": at, "title": moment.title} | fields


def test_a_stale_edit_shows_both_versions_and_writes_nothing(worker, moment):
    url = reverse("bam:moment_edit", args=[moment.pk])
    client = client_for(worker)
    first = client.post(url, _form(moment, antecedent="Payday and the pub", revision=1))
    assert first.status_code == 302

    stale = client.post(url, _form(moment, antecedent="Payday, the phone rang", revision=1))

    page = stale.content.decode()
    assert stale.status_code == 200
    assert "Someone else saved this moment while you were writing." in page
    assert "Payday and the pub" in page and "Payday, the phone rang</textarea>" in page
    assert 'name="overwrite" value="2"' in page and 'role="alert"' in page
    assert "Kind of moment" not in page.split("data-conflict")[1]  # only what differs
    stored = Moment.objects.get(pk=moment.pk)
    assert (stored.antecedent, stored.revision) == ("Payday and the pub", 2)

    kept = client.post(
        url, _form(moment, antecedent="Payday, the phone rang", revision=1, overwrite=2)
    )
    assert kept.status_code == 302
    assert Moment.objects.get(pk=moment.pk).antecedent == "Payday, the phone rang"


def test_the_service_refuses_a_stale_update(moment):
    services.moment_update(moment=Moment.objects.get(pk=moment.pk), title="First")
    with pytest.raises(Conflict) as raised:
        services.moment_update(moment=moment, revision=1, title="Second", tags=["alone"])
    assert raised.value.saved.title == "First"
    assert [t.name for t in Moment.objects.get(pk=moment.pk).tags.all()] == ["payday"]


def test_an_unchanged_moment_saved_again_is_no_conflict(worker, moment):
    url = reverse("bam:moment_edit", args=[moment.pk])
    client = client_for(worker)
    same = _form(moment, antecedent=moment.antecedent, tags=["payday"], revision=1)
    assert client.post(url, same).status_code == 302
    assert Moment.objects.get(pk=moment.pk).revision == 1


def test_an_invalid_edit_is_still_refused_before_anything_is_written(moment):
    with pytest.raises(ValidationError):
        services.moment_update(moment=moment, revision=1, confidence=11)
    assert Moment.objects.get(pk=moment.pk).revision == 1
