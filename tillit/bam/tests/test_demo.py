"""The demo municipality has a client of Anna's with moments, and BaM training and
supervision for the leaders' methods page."""

import io

from django.core.management import call_command
from django.urls import reverse

from tillit.bam.models import Moment, MomentNote
from tillit.conftest import client_for
from tillit.org.models import Supervision, Training, User


def test_demo_has_moments_and_implementation(db):
    call_command("seed_demo", clients=30, stdout=io.StringIO())

    moments = Moment.objects.all()
    assert moments.filter(kind="weak").count() == 3
    assert moments.filter(kind="strong", source="meeting").count() == 2
    assert moments.filter(source="client", written_by__isnull=True).count() == 1
    assert len({m.person_id for m in moments}) == 1
    assert MomentNote.objects.count() == 29
    assert Training.objects.filter(method__key="bam").count() == 2
    assert Supervision.objects.count() == 2

    anna = User.objects.get(username="anna")
    person = moments.first().person
    response = client_for(anna).get(reverse("bam:patterns", args=[person.pk]))
    assert response.context["tags"][0]["name"] == "ensam hemma"
    lena = User.objects.get(username="lena")
    assert client_for(lena).get(reverse("org:methods")).status_code == 200
