"""Stale saves in the assessment: an area, the client's view (worker and client) and the
instrument's scores. Each is refused with both versions shown in the reader's language,
the writer's own words kept in the form, and the writer chooses; nothing is silently
replaced (tillit/lib/revisions.py)."""

import pytest
from django.urls import reverse

from tillit.assessment import services
from tillit.assessment.models import AreaAnswer, Assessment, Status
from tillit.conftest import client_for


@pytest.fixture
def assessment(case, worker):
    return services.assessment_start(actor=worker, case=case)


def _worker(worker, language="en"):  # type: ignore[no-untyped-def]
    client = client_for(worker)
    client.cookies["django_language"] = language
    return client


def _area(client, answer, revision, htmx=False, **fields):  # type: ignore[no-untyped-def]
    data = {f"a{answer.pk}-{k}": v for k, v in {"revision": revision, **fields}.items()}
    url = reverse("assessment:area_save", args=[answer.pk])
    return client.post(url, data, headers={"hx-request": "true"} if htmx else {})


# -- an area ----------------------------------------------------------------------------


def test_a_stale_autosave_shows_both_and_keeps_the_form_on_its_revision(assessment, worker):
    answer = assessment.answers.first()
    client = _worker(worker)
    _area(client, answer, 1, htmx=True, worker_reflection="The first words")

    response = _area(client, answer, 1, htmx=True, worker_reflection="The second words")

    body = response.content.decode()
    assert response.status_code == 200
    assert "Someone else saved this area while you were writing." in body
    assert "The first words" in body and "The second words" in body
    assert 'role="alert"' in body and "data-conflict" in body
    assert f'name="a{answer.pk}-overwrite" value="2"' in body  # "Keep mine"
    assert f'data-field="a{answer.pk}-worker_reflection"' in body  # "Take the saved version"
    # The form's revision is not moved on: its next autosave is refused too.
    assert f'id="id_a{answer.pk}-revision"' not in body
    assert AreaAnswer.objects.get(pk=answer.pk).worker_reflection == "The first words"

    # The writer keeps theirs, on purpose.
    kept = _area(client, answer, 1, htmx=True, worker_reflection="The second words", overwrite=2)
    assert "data-conflict" not in kept.content.decode()
    assert f'id="id_a{answer.pk}-revision" value="3"' in kept.content.decode()
    assert AreaAnswer.objects.get(pk=answer.pk).worker_reflection == "The second words"


def test_a_save_right_after_its_own_autosave_is_no_conflict(assessment, worker):
    answer = assessment.answers.first()
    client = _worker(worker)
    first = _area(client, answer, 1, htmx=True, worker_reflection="Half a thought")
    assert 'value="2"' in first.content.decode()
    # Save, sent with the revision the autosave handed back.
    _area(client, answer, 2, htmx=True, worker_reflection="Half a thought, and the rest")
    # Or Save of the same words with the revision as it was (a save raced by its autosave).
    same = _area(client, answer, 2, htmx=True, worker_reflection="Half a thought, and the rest")
    assert "data-conflict" not in same.content.decode()
    assert AreaAnswer.objects.get(pk=answer.pk).revision == 3


def test_without_javascript_the_page_shows_both_and_scrolls_to_the_area(assessment, worker):
    answer = assessment.answers.first()
    client = _worker(worker, "sv")
    _area(client, answer, 1, differ="Vi ser olika på boendet")
    page = _area(client, answer, 1, differ="Hon vill bo själv").content.decode()
    assert "Någon annan sparade det här området medan du skrev." in page
    assert "Vi ser olika på boendet" in page and "Hon vill bo själv</textarea>" in page
    assert f'action="/assessment/answers/{answer.pk}/#area-{answer.pk}"' in page


def test_the_client_in_the_portal_sees_both_too(assessment, worker, client_self):
    services.assessment_share(assessment=assessment)
    answer = assessment.answers.first()
    _area(_worker(worker), answer, 1, client_account="Skrivet av handläggaren")
    client = client_for(client_self)
    client.cookies["django_language"] = "nb"
    data = {f"a{answer.pk}-revision": 1, f"a{answer.pk}-client_account": "Mine egne ord"}
    page = client.post(reverse("assessment:client_area_save", args=[answer.pk]), data)
    body = page.content.decode()
    assert "Skrivet av handläggaren" in body and "Mine egne ord</textarea>" in body
    assert "Behold min" in body
    assert AreaAnswer.objects.get(pk=answer.pk).client_account == "Skrivet av handläggaren"


# -- the client's view ------------------------------------------------------------------------


def test_a_clients_dissent_is_never_silently_replaced(assessment, worker, client_self):
    services.assessment_share(assessment=assessment)
    read_by_worker = Assessment.objects.get(pk=assessment.pk).view_revision
    # The client records their dissent in the portal...
    client_for(client_self).post(
        reverse("assessment:client_view", args=[assessment.pk]),
        {"view": "dissents", "statement": "Jag dricker inte varje dag.", "revision": 1},
    )
    # ...while the worker, on the page they read before, records agreement.
    response = _worker(worker).post(
        reverse("assessment:view", args=[assessment.pk]),
        {"view": "agrees", "statement": "", "revision": read_by_worker},
    )
    page = response.content.decode()
    assert "Someone else saved the client&#x27;s view while you were writing." in page
    assert "The client does not agree" in page and "Jag dricker inte varje dag." in page
    assert "The client agrees with the assessment" in page  # theirs, beside it
    stored = Assessment.objects.get(pk=assessment.pk)
    assert (stored.client_view, stored.client_statement) == (
        "dissents",
        "Jag dricker inte varje dag.",
    )
    # Finishing on the view as it was read is refused too.
    _worker(worker).post(
        reverse("assessment:finish", args=[assessment.pk]), {"view_revision": read_by_worker}
    )
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SHARED


def test_the_client_keeps_their_words_when_someone_else_saved_the_view(
    assessment, worker, client_self
):
    services.assessment_share(assessment=assessment)
    services.client_view_record(assessment=assessment, view="agrees", statement="", revision=1)
    client = client_for(client_self)
    client.cookies["django_language"] = "sv"
    response = client.post(
        reverse("assessment:client_view", args=[assessment.pk]),
        {"view": "dissents", "statement": "Inte om boendet.", "revision": 1},
    )
    page = response.content.decode()
    assert "Inte om boendet.</textarea>" in page and "data-conflict" in page
    assert "Ja, jag håller med" in page and "Nej, inte med allt" in page
    assert f'id="view-revision-{assessment.pk}"' in page
    assert 'data-revision-for="view-revision-' in page
    assert Assessment.objects.get(pk=assessment.pk).client_view == "agrees"
    # Keep mine.
    client.post(
        reverse("assessment:client_view", args=[assessment.pk]),
        {"view": "dissents", "statement": "Inte om boendet.", "revision": 1, "overwrite": 2},
    )
    assert Assessment.objects.get(pk=assessment.pk).client_statement == "Inte om boendet."


def test_finishing_signs_the_view_as_it_was_read(assessment, worker):
    services.client_view_record(assessment=assessment, view="agrees", statement="", revision=1)
    client = _worker(worker)
    page = client.post(
        reverse("assessment:finish", args=[assessment.pk]), {"view_revision": 1}, follow=True
    )
    assert "The client&#x27;s view has changed since you opened the page." in page.content.decode()
    client.post(reverse("assessment:finish", args=[assessment.pk]), {"view_revision": 2})
    assert Assessment.objects.get(pk=assessment.pk).status == Status.FINISHED
    again = client.post(
        reverse("assessment:finish", args=[assessment.pk]), {"view_revision": 2}, follow=True
    )
    assert "The assessment is already finished." in again.content.decode()


# -- the instrument -----------------------------------------------------------------------------


def test_a_stale_save_of_the_scores_shows_both(assessment, worker):
    url = reverse("assessment:instrument", args=[assessment.pk])
    client = _worker(worker)
    client.post(url, {"date": "2026-01-05", "alcohol": "0.61", "revision": 1})
    response = client.post(url, {"date": "2026-01-07", "alcohol": "0.4", "revision": 1})
    page = response.content.decode()
    assert "Someone else saved the scores while you were writing." in page
    assert "0.61" in page and "0.4" in page
    assert 'value="2026-01-07"' in page  # what they wrote is still in the form
    stored = Assessment.objects.get(pk=assessment.pk)
    assert stored.instrument_scores == {"alcohol": 0.61} and stored.instrument_revision == 2
