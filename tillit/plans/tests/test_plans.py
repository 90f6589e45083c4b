"""The worker's plan pages: writing, sharing, signing, versions, conflicts, autosave."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tillit.conftest import client_for as _client_for
from tillit.factories import AssignmentFactory
from tillit.lib.revisions import Conflict
from tillit.plans import services
from tillit.plans.models import Goal, Plan, PlanStatus, Step
from tillit.plans.tests.data import plan_with_goals

pytestmark = pytest.mark.django_db


def client_for(user):  # type: ignore[no-untyped-def]
    """A logged-in client that reads the pages in English, the source language."""
    client = _client_for(user)
    client.cookies["django_language"] = "en"
    return client


def test_worker_starts_a_plan_on_an_open_case(worker, person, case):
    response = client_for(worker).post(
        reverse("plans:person", args=[person.pk]), {"case": case.pk, "kind": "coordinated"}
    )
    plan = Plan.objects.get()
    assert response["Location"] == reverse("plans:plan", args=[plan.pk])
    assert (plan.kind, plan.status, plan.version, plan.created_by) == (
        "coordinated",
        "draft",
        1,
        worker,
    )


def test_a_plan_needs_a_kind(worker, person, case):
    response = client_for(worker).post(reverse("plans:person", args=[person.pk]), {"case": case.pk})
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Plan.objects.exists()


def test_goal_in_the_clients_words_and_steps(worker, case):
    plan = plan_with_goals(case, worker, goals=0)
    client = client_for(worker)
    client.post(
        reverse("plans:goal_add", args=[plan.pk]),
        {"text": "Jag vill bo i en egen lägenhet", "why": "Då kan min dotter hälsa på"},
    )
    goal = plan.goals.get()
    response = client.post(
        reverse("plans:step_add", args=[goal.pk]),
        {"text": "Söka bostad", "doer": "network", "doer_name": "", "due_on": "2026-03-01"},
    )
    assert response.status_code == 400
    assert "Say who: a name, or the agency." in response.content.decode()
    client.post(
        reverse("plans:step_add", args=[goal.pk]),
        {"text": "Söka bostad", "doer": "network", "doer_name": "Min bror Ali", "due_on": ""},
    )
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Jag vill bo i en egen lägenhet" in page
    assert "Då kan min dotter hälsa på" in page
    assert "Min bror Ali" in page


def test_empty_goal_gets_a_clear_error(worker, case):
    plan = plan_with_goals(case, worker, goals=0)
    response = client_for(worker).post(reverse("plans:goal_add", args=[plan.pk]), {"text": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()


def test_share_then_sign(worker, case):
    plan = plan_with_goals(case, worker)
    client = client_for(worker)
    client.post(reverse("plans:sign", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT  # not before the client could read it
    client.post(reverse("plans:share", args=[plan.pk]))
    client.post(reverse("plans:sign", args=[plan.pk]))
    plan.refresh_from_db()
    assert (plan.status, plan.signed_by) == (PlanStatus.SIGNED, worker)
    assert plan.signed_at is not None


def test_a_plan_without_goals_cannot_be_shared(worker, case):
    plan = plan_with_goals(case, worker, goals=0)
    response = client_for(worker).post(reverse("plans:share", args=[plan.pk]), follow=True)
    assert "Write at least one goal before you share the plan." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT


def test_signed_plan_cannot_be_edited(worker, case):
    plan = plan_with_goals(case, worker, state="signed")
    goal = plan.goals.get()
    response = client_for(worker).post(
        reverse("plans:goal_edit", args=[goal.pk]),
        {"text": "Changed", "why": "", "revision": goal.revision},
        follow=True,
    )
    assert "A signed plan cannot be changed; make a new version." in response.content.decode()
    goal.refresh_from_db()
    assert goal.text != "Changed"
    with pytest.raises(ValidationError):
        services.goal_add(plan=plan, text="More", why="")
    with pytest.raises(ValidationError):
        services.step_update(
            step=goal.steps.get(), revision=1, text="x", doer="client", doer_name="", due_on=None
        )


def test_a_change_is_a_new_version_and_the_signed_one_is_kept(worker, case):
    plan = plan_with_goals(case, worker, goals=2, steps=2, state="signed")
    response = client_for(worker).post(reverse("plans:new_version", args=[plan.pk]))
    new = Plan.objects.get(replaces=plan)
    assert response["Location"] == reverse("plans:plan", args=[new.pk])
    assert (new.version, new.status) == (2, PlanStatus.DRAFT)
    assert [g.text for g in new.goals.all()] == [g.text for g in plan.goals.all()]
    assert Step.objects.filter(goal__plan=new).count() == 4
    assert Step.objects.filter(goal__plan=plan).count() == 4
    # One newer version at a time.
    with pytest.raises(ValidationError):
        services.plan_new_version(actor=worker, plan=plan)
    page = client_for(worker).get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "There is a newer version: version 2" in page


def test_only_a_signed_plan_gets_a_new_version(worker, case):
    plan = plan_with_goals(case, worker)
    with pytest.raises(ValidationError):
        services.plan_new_version(actor=worker, plan=plan)


def test_review_records_what_happened_and_what_changes(worker, case):
    plan = plan_with_goals(case, worker, state="signed")
    client_for(worker).post(
        reverse("plans:review_add", args=[plan.pk]),
        {"held_on": "2026-02-01", "happened": "Fick en lägenhet", "changes": "Nytt mål: jobb"},
    )
    review = plan.reviews.get()
    assert (review.happened, review.changes, review.author) == (
        "Fick en lägenhet",
        "Nytt mål: jobb",
        worker,
    )


def test_review_needs_a_valid_date(worker, case):
    plan = plan_with_goals(case, worker)
    response = client_for(worker).post(
        reverse("plans:review_add", args=[plan.pk]), {"held_on": "31/31", "happened": "x"}
    )
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_participants_with_the_clients_consent(worker, case):
    plan = plan_with_goals(case, worker, kind="coordinated")
    client = client_for(worker)
    client.post(
        reverse("plans:participant_add", args=[plan.pk]),
        {"name": "Eva Ek", "agency": "Vårdcentralen", "role": "Läkare", "consent": "on"},
    )
    client.post(
        reverse("plans:participant_add", args=[plan.pk]),
        {"name": "Per Ås", "agency": "Arbetsförmedlingen", "role": ""},
    )
    eva, per = plan.participants.all()
    assert eva.consent and eva.consent_on is not None
    assert not per.consent and per.consent_on is None
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Vårdcentralen" in page and "Arbetsförmedlingen" in page


# -- two people at once -------------------------------------------------------------------


@pytest.fixture
def partner(case, colleague):
    """A second worker on the same case, editing the same plan."""
    AssignmentFactory(case=case, worker=colleague, role="other")
    return colleague


def test_second_save_gets_a_conflict_with_both_texts_and_nothing_is_lost(worker, partner, case):
    plan = plan_with_goals(case, worker)
    goal = plan.goals.get()
    loaded = goal.revision
    url = reverse("plans:goal_edit", args=[goal.pk])
    first = client_for(worker).post(url, {"text": "Vårt första", "why": "", "revision": loaded})
    assert first.status_code == 302

    second = client_for(partner).post(url, {"text": "Mitt andra", "why": "", "revision": loaded})

    assert second.status_code == 200
    page = second.content.decode()
    assert "Someone else saved this goal while you were writing." in page
    assert "Vårt första" in page and "Mitt andra" in page
    assert f'name="revision" value="{loaded}"' in page  # the form stays on what was read
    goal.refresh_from_db()
    assert (goal.text, goal.revision) == ("Vårt första", loaded + 1)
    # Saving again is refused again: the other text is not overwritten by accident.
    again = client_for(partner).post(url, {"text": "Mitt andra", "why": "", "revision": loaded})
    assert "Someone else saved this goal" in again.content.decode()
    # Having seen both, the second writer keeps theirs: "Keep mine" posts what they saw.
    kept = client_for(partner).post(
        url, {"text": "Mitt andra", "why": "", "revision": loaded, "overwrite": goal.revision}
    )
    assert kept.status_code == 302
    goal.refresh_from_db()
    assert goal.text == "Mitt andra"


def test_conflict_over_htmx_shows_both_and_leaves_the_form_as_typed(worker, partner, case):
    plan = plan_with_goals(case, worker)
    step = Step.objects.get(goal__plan=plan)
    url = reverse("plans:step_edit", args=[step.pk])
    services.step_update(
        step=step, revision=1, text="Sparat först", doer="client", doer_name="", due_on=None
    )

    response = client_for(partner).post(
        url, {"text": "Skrivet samtidigt", "doer": "client", "revision": 1}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 200 and "HX-Retarget" not in response
    page = response.content.decode()
    assert "Someone else saved this step while you were writing." in page
    assert "Sparat först" in page and "Skrivet samtidigt" in page
    # Only the status and the box are swapped: not the fields, nor the revision.
    assert f'id="step-{step.pk}-conflict" hx-swap-oob="true"' in page
    assert 'role="alert"' in page and "<textarea" not in page
    assert f'id="step-{step.pk}-revision"' not in page
    assert 'name="overwrite" value="2"' in page
    step.refresh_from_db()
    assert step.text == "Sparat först"


def test_the_revision_check_is_in_the_update(worker, case):
    plan = plan_with_goals(case, worker)
    stale = Goal.objects.get(plan=plan)
    fresh = Goal.objects.get(plan=plan)
    services.goal_update(goal=fresh, revision=1, text="A", why="")
    with pytest.raises(Conflict) as error:
        services.goal_update(goal=stale, revision=1, text="B", why="")
    assert error.value.saved.text == "A"


def test_the_same_words_saved_twice_are_no_conflict(worker, case):
    plan = plan_with_goals(case, worker)
    goal = Goal.objects.get(plan=plan)
    services.goal_update(goal=Goal.objects.get(pk=goal.pk), revision=1, text="Samma", why="")
    again = services.goal_update(goal=goal, revision=1, text="Samma", why="")
    assert (again.text, again.revision) == ("Samma", 2)


# -- autosave -------------------------------------------------------------------------------


def test_autosave_over_htmx_saves_and_hands_back_the_new_revision(worker, case):
    plan = plan_with_goals(case, worker)
    goal = plan.goals.get()
    client = client_for(worker)
    response = client.post(
        reverse("plans:goal_edit", args=[goal.pk]),
        {"text": "Halvskrivet mål", "why": "", "revision": 1},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="goal-{goal.pk}-revision"' in body and 'value="2"' in body
    assert 'hx-swap-oob="true"' in body
    # It is in the database: a reload shows it.
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Halvskrivet mål" in page
    assert 'hx-trigger="submit, change, input delay:3s"' in page
    assert 'hx-sync="this:queue last"' in page


def test_an_unchanged_autosave_writes_nothing(worker, case):
    plan = plan_with_goals(case, worker)
    goal = plan.goals.get()
    client_for(worker).post(
        reverse("plans:goal_edit", args=[goal.pk]),
        {"text": goal.text, "why": goal.why, "revision": 1},
        HTTP_HX_REQUEST="true",
    )
    goal.refresh_from_db()
    assert goal.revision == 1


# -- query budget ---------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 4])
def test_plan_page_queries_do_not_grow_with_the_plan(size, worker, case, django_assert_num_queries):
    plan = plan_with_goals(case, worker, goals=size, steps=size, kind="coordinated")
    services.participant_add(
        plan=plan, name="Eva", agency="Vårdcentralen", role="", consent=True, consent_on=None
    )
    client = client_for(worker)
    client.get(reverse("plans:plan", args=[plan.pk]))  # warm the session and caches
    with django_assert_num_queries(PLAN_PAGE_QUERIES):
        response = client.get(reverse("plans:plan", args=[plan.pk]))
    assert response.status_code == 200
    assert response.content.decode().count('class="card goal"') == size


# Session, its user with their roles; the plan with its case and the user's assignment,
# audit row; the plan with its case, goals, steps, participants, reviews, answers; a
# newer version.
PLAN_PAGE_QUERIES = 11


def test_goal_and_step_are_removed_from_a_draft_but_not_a_signed_plan(worker, case):
    draft = plan_with_goals(case, worker, goals=2, steps=2)
    client = client_for(worker)
    first, second = draft.goals.all()
    client.post(reverse("plans:step_remove", args=[second.steps.first().pk]))
    client.post(reverse("plans:goal_remove", args=[first.pk]))
    assert list(draft.goals.all()) == [second]
    assert second.steps.count() == 1

    signed = plan_with_goals(case, worker, state="signed")
    goal = signed.goals.get()
    response = client.post(reverse("plans:goal_remove", args=[goal.pk]), follow=True)
    assert "A signed plan cannot be changed; make a new version." in response.content.decode()
    assert signed.goals.count() == 1


def test_saving_a_removed_step_says_so(worker, case):
    plan = plan_with_goals(case, worker)
    step = Step.objects.get(goal__plan=plan)
    stale = Step.objects.get(pk=step.pk)
    services.step_remove(step=step)
    with pytest.raises(ValidationError, match="removed"):
        services.step_update(
            step=stale, revision=1, text="x", doer="client", doer_name="", due_on=None
        )


def test_consent_is_given_and_withdrawn(worker, case):
    plan = plan_with_goals(case, worker, kind="coordinated")
    participant = services.participant_add(
        plan=plan, name="Eva", agency="Vårdcentralen", role="", consent=False, consent_on=None
    )
    client = client_for(worker)
    url = reverse("plans:consent", args=[participant.pk])
    client.post(url, {"consent": "yes", "consent_on": "2026-01-05"})
    participant.refresh_from_db()
    assert participant.consent and str(participant.consent_on) == "2026-01-05"
    client.post(url, {"consent": "no"})
    participant.refresh_from_db()
    assert not participant.consent and participant.consent_on is None
    response = client.post(url, {"consent": "perhaps"}, follow=True)
    assert "Choose yes or no, and a valid date." in response.content.decode()


def test_a_review_sets_the_next_review_date(worker, case):
    plan = plan_with_goals(case, worker, state="signed")
    client = client_for(worker)
    client.post(
        reverse("plans:review_add", args=[plan.pk]),
        {"held_on": "2026-02-01", "happened": "Bra", "next_on": "2026-05-04"},
    )
    page = client.get(reverse("plans:plan", args=[plan.pk])).content.decode()
    assert "Next review: 05/04/2026" in page  # English SHORT_DATE_FORMAT
    assert str(Plan.objects.get(pk=plan.pk).next_review) == "2026-05-04"
