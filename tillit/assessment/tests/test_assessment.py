"""The dialogical assessment: side by side per life area, written by both, never
overwritten silently, finished only with the client's view recorded."""

import pytest
from django.urls import reverse

from tillit.assessment import services
from tillit.assessment.models import AreaAnswer, Assessment, LifeArea, Status, Writer
from tillit.conftest import client_for


@pytest.fixture
def assessment(case, worker):
    return services.assessment_start(actor=worker, case=case)


def _post(client, answer, revision, htmx=False, **fields):  # type: ignore[no-untyped-def]
    data = {f"a{answer.pk}-{k}": v for k, v in {"revision": revision, **fields}.items()}
    url = reverse("assessment:area_save", args=[answer.pk])
    return client.post(url, data, headers={"hx-request": "true"} if htmx else {})


def _client_post(client, answer, revision, **fields):  # type: ignore[no-untyped-def]
    data = {f"a{answer.pk}-{k}": v for k, v in {"revision": revision, **fields}.items()}
    return client.post(reverse("assessment:client_area_save", args=[answer.pk]), data)


def test_a_new_assessment_has_every_life_area_in_use(assessment):
    keys = [a.area.key for a in assessment.answers.select_related("area")]
    assert keys[:3] == ["housing", "work", "physical"] and len(keys) == 11


def test_retired_area_is_left_out_of_new_assessments(case, worker):
    LifeArea.objects.filter(key="gambling").update(active=False)
    started = services.assessment_start(actor=worker, case=case)
    assert "gambling" not in {a.area.key for a in started.answers.select_related("area")}


def test_area_names_follow_the_language(assessment, worker):
    client = client_for(worker)
    client.cookies["django_language"] = "nb"
    page = client.get(reverse("assessment:detail", args=[assessment.pk])).content.decode()
    assert "Bolig" in page and "Rusmidler og legemidler" in page


def test_worker_autosaves_an_area_as_secretary(assessment, worker):
    answer = assessment.answers.first()
    response = _post(
        client_for(worker), answer, 1, htmx=True, client_account="Jag bor hos min syster."
    )
    assert 'value="2"' in response.content.decode()  # the new revision, swapped in
    answer.refresh_from_db()
    assert answer.client_account == "Jag bor hos min syster."
    assert answer.client_account_by == Writer.WORKER


def test_second_writer_gets_a_conflict_with_both_texts_and_nothing_is_lost(assessment, worker):
    answer = assessment.answers.first()
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    _post(client, answer, 1, worker_reflection="First writer's words")
    response = _post(client, answer, 1, htmx=True, worker_reflection="Second writer's words")
    body = response.content.decode()
    assert "Someone else saved this area while you were writing." in body
    assert "First writer&#x27;s words" in body and "Second writer&#x27;s words" in body
    answer.refresh_from_db()
    assert answer.worker_reflection == "First writer's words" and answer.revision == 2

    # Without JavaScript the page comes back with the second writer's text in the form.
    page = _post(client, answer, 1, worker_reflection="Second writer's words").content.decode()
    assert "Someone else saved this area" in page
    assert ">\nSecond writer&#x27;s words</textarea>" in page
    # Having read it, they save again on the saved revision.
    _post(client, answer, 2, worker_reflection="Both, merged")
    answer.refresh_from_db()
    assert answer.worker_reflection == "Both, merged"


def test_rating_outside_0_to_4_is_refused(assessment, worker):
    answer = assessment.answers.first()
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    response = _post(client, answer, 1, worker_rating="7")
    assert response.status_code == 200 and "less than or equal to 4" in response.content.decode()
    answer.refresh_from_db()
    assert answer.worker_rating is None and answer.revision == 1


def test_client_never_sees_a_draft(assessment, client_self):
    client = client_for(client_self)
    answer = assessment.answers.first()
    assert _client_post(client, answer, 1, client_account="x").status_code == 404
    page = client.get(reverse("assessment:mine")).content.decode()
    assert answer.area.name_sv not in page


def test_client_writes_their_own_account_when_shared(assessment, worker, client_self):
    services.assessment_share(assessment=assessment)
    answer = assessment.answers.first()
    client = client_for(client_self)
    _client_post(client, answer, 1, client_account="Det är trångt men det går.", client_rating=2)
    answer.refresh_from_db()
    assert answer.client_account_by == Writer.CLIENT and answer.client_rating == 2
    # The client cannot write the worker's parts.
    _client_post(client, answer, 2, client_account="Samma", worker_reflection="Nej")
    answer.refresh_from_db()
    assert answer.worker_reflection == ""
    page = client_for(worker).get(reverse("assessment:detail", args=[assessment.pk]))
    assert "written by the client" in page.content.decode() or "skrivet av klienten" in (
        page.content.decode()
    )


def test_other_client_cannot_write_in_it(assessment, client_other):
    services.assessment_share(assessment=assessment)
    answer = assessment.answers.first()
    assert _client_post(client_for(client_other), answer, 1, client_account="x").status_code == 404


def test_finish_needs_the_clients_view_and_dissent_needs_words(assessment, worker):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    url = reverse("assessment:finish", args=[assessment.pk])
    page = client.post(url, follow=True).content.decode()
    assert "Record whether the client agrees" in page
    assessment.refresh_from_db()
    assert assessment.status == Status.DRAFT

    view = reverse("assessment:view", args=[assessment.pk])
    page = client.post(view, {"view": "dissents", "statement": ""}, follow=True)
    assert "Say in the client&#x27;s words" in page.content.decode()
    client.post(
        view, {"view": "dissents", "statement": "Jag dricker inte så mycket.", "revision": 1}
    )
    client.post(url, {"view_revision": 2})
    assessment.refresh_from_db()
    assert assessment.status == Status.FINISHED and assessment.signed_by == worker
    assert assessment.client_statement == "Jag dricker inte så mycket."


def test_a_finished_assessment_cannot_be_changed(assessment, worker):
    services.client_view_record(assessment=assessment, view="agrees", statement="", revision=1)
    services.assessment_finish(actor=worker, assessment=assessment)
    answer = assessment.answers.first()
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    response = _post(client, answer, 1, htmx=True, agreed="late")
    assert "A finished assessment cannot be changed." in response.content.decode()
    assert AreaAnswer.objects.get(pk=answer.pk).agreed == ""


def test_client_records_agreement_in_the_portal(assessment, client_self):
    services.assessment_share(assessment=assessment)
    client_for(client_self).post(
        reverse("assessment:client_view", args=[assessment.pk]), {"view": "agrees", "revision": 1}
    )
    assert Assessment.objects.get().client_view == "agrees"


def test_instrument_scores_are_numbers_from_0_to_1(assessment, worker):
    client = client_for(worker)
    url = reverse("assessment:instrument", args=[assessment.pk])
    response = client.post(url, {"date": "2026-01-05", "alcohol": "1.5", "drugs": "0.2"})
    assert response.status_code == 200
    assessment.refresh_from_db()
    assert assessment.instrument_scores == {}
    client.post(url, {"date": "2026-01-05", "alcohol": "0.61", "drugs": "0.2", "revision": 1})
    assessment.refresh_from_db()
    assert assessment.instrument_scores == {"alcohol": 0.61, "drugs": 0.2}


@pytest.mark.parametrize("extra_areas", [0, 6])
def test_detail_query_count_is_constant(case, worker, extra_areas, django_assert_num_queries):
    for n in range(extra_areas):
        LifeArea.objects.create(key=f"extra{n}", name_en="x", name_sv="x", name_nb="x")
    assessment = services.assessment_start(actor=worker, case=case)
    client = client_for(worker)
    # session, its user with their roles, assessment with its case and the user's
    # assignment, audit row, answers
    with django_assert_num_queries(5):
        client.get(reverse("assessment:detail", args=[assessment.pk]))
