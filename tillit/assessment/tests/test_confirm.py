"""Finishing and signing asks first (tillit/lib/confirm.py): the question is on the
assessment's page as a dialog, and a GET of the finish URL asks it on a page of its own
without signing anything."""

from django.urls import reverse

from tillit.assessment.models import Status
from tillit.assessment.services import assessment_start, client_view_record
from tillit.audit.models import AccessLog
from tillit.conftest import client_for


def _agreed(worker, case):
    assessment = assessment_start(actor=worker, case=case)
    return client_view_record(
        assessment=assessment, view="agrees", statement="", revision=assessment.view_revision
    )


def test_the_page_asks_before_finishing_in_a_dialog(worker, case):
    assessment = _agreed(worker, case)
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
    finish = reverse("assessment:finish", args=[assessment.pk])
    assert f'<form method="get" action="{finish}" data-confirm="confirm-finish">' in page
    assert '<dialog id="confirm-finish"' in page
    assert "Finish and sign the assessment with Kim Client?" in page
    assert "confirm.js" in page


def test_a_get_of_finish_asks_and_signs_nothing(worker, case):
    assessment = _agreed(worker, case)
    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    url = reverse("assessment:finish", args=[assessment.pk])

    response = client.get(url, {"view_revision": assessment.view_revision})

    page = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in page and "Avsluta och signera utredningen med Kim Client?" in page
    assert f'<input type="hidden" name="view_revision" value="{assessment.view_revision}">' in page
    assert '<a class="button" href="' + reverse("assessment:detail", args=[assessment.pk]) in page
    assessment.refresh_from_db()
    assert assessment.status != Status.FINISHED
    assert AccessLog.objects.latest("id").action == "read"

    client.post(url, {"view_revision": assessment.view_revision})
    assessment.refresh_from_db()
    assert assessment.status == Status.FINISHED


def test_a_revision_that_is_not_a_number_is_not_carried_on(worker, case):
    assessment = _agreed(worker, case)
    url = reverse("assessment:finish", args=[assessment.pk])
    page = client_for(worker).get(url, {"view_revision": "<x>"}).content.decode()
    assert '<input type="hidden" name="view_revision" value="">' in page
    assert "&lt;x&gt;" not in page and "<x>" not in page
