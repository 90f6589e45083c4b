"""Ordering, approving, refusing, producing and downloading an extract on its pages: who may
do each, and the access log rows they leave."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog, Action
from tillit.conftest import client_for
from tillit.extracts import services
from tillit.extracts.models import Order, OrderState, Run, RunState
from tillit.extracts.tests import data
from tillit.factories import UnitFactory, UserFactory
from tillit.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    return data.world(clients=6, old_loner=False)


def order_post(w, **changes) -> dict:  # type: ignore[no-untyped-def]
    return {
        "study": "Kontinuitet",
        "purpose": "Whether one contact person over time goes with a better alliance.",
        "units": [w.outpatient.pk, w.assessment.pk],
        "period_from": "2021-01-01",
        "period_to": "2024-12-31",
        "groups": ["demographics", "checks"],
        "submission": str(uuid.uuid4()),
        **changes,
    }


def rows(action: str) -> list[AccessLog]:
    return list(AccessLog.objects.filter(action=action).order_by("id"))


# -- ordering -------------------------------------------------------------------------------


def test_an_evaluator_orders_an_extract_once_however_often_it_is_sent(w):
    client = client_for(w.evaluator)
    post = order_post(w)
    first = client.post(reverse("extracts:new"), post)
    again = client.post(reverse("extracts:new"), post)
    order = Order.objects.get()
    assert first.status_code == again.status_code == 302
    assert first["Location"] == reverse("extracts:order", args=[order.pk])
    assert order.state == OrderState.PENDING and order.secret == ""
    assert order.groups == ["demographics", "checks"]
    assert set(order.units.all()) == {w.outpatient, w.assessment}
    [row] = rows(Action.EXTRACT_ORDER)
    assert row.user == w.evaluator and row.person is None and row.case is None
    assert row.detail["extract"] == order.pk


@pytest.mark.parametrize("who", ["worker", "leader_out", "manager"])
def test_only_an_evaluator_may_order(w, who):
    client = client_for(getattr(w, who))
    assert client.get(reverse("extracts:new")).status_code == 403
    assert client.post(reverse("extracts:new"), order_post(w)).status_code == 403
    assert not Order.objects.exists() and not rows(Action.EXTRACT_ORDER)


def test_a_worker_sees_no_extract_page(w):
    assert client_for(w.worker).get(reverse("extracts:orders")).status_code == 403


def test_an_evaluator_orders_only_units_they_evaluate(w):
    elsewhere = UnitFactory(name="Grannkommunen")
    response = client_for(w.evaluator).post(
        reverse("extracts:new"), order_post(w, units=[elsewhere.pk])
    )
    assert response.status_code == 400
    assert not Order.objects.exists()


def test_a_period_backwards_or_a_missing_purpose_is_a_form_error(w):
    client = client_for(w.evaluator)
    backwards = client.post(
        reverse("extracts:new"), order_post(w, period_from="2024-01-01", period_to="2023-01-01")
    )
    assert backwards.status_code == 400
    assert "kan inte vara före dess början" in backwards.content.decode()
    assert "Kontinuitet" in backwards.content.decode()  # nothing typed is lost
    short = client.post(reverse("extracts:new"), order_post(w, purpose="Study."))
    assert short.status_code == 400
    future = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    assert client.post(reverse("extracts:new"), order_post(w, period_to=future)).status_code == 400
    assert not Order.objects.exists()


# -- approving and refusing -----------------------------------------------------------------


def test_a_team_leader_of_one_of_two_units_cannot_approve_alone(w):
    order = data.order(w)
    response = client_for(w.leader_out).post(reverse("extracts:approve", args=[order.pk]))
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and order.secret == ""
    # ... nor can the evaluator produce or download anything yet
    produce = client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    assert produce.status_code == 302 and not Run.objects.exists()

    client_for(w.leader_assess).post(reverse("extracts:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.APPROVED and len(order.secret) == 64
    decisions = rows(Action.EXTRACT_DECISION)
    assert [r.detail["decision"] for r in decisions] == ["approved_in_part", "approved"]
    assert [r.user for r in decisions] == [w.leader_out, w.leader_assess]
    assert decisions[0].detail["units"] == [w.outpatient.pk]


def test_a_leader_who_approved_cannot_approve_the_rest(w):
    order = data.order(w)
    client = client_for(w.leader_out)
    client.post(reverse("extracts:approve", args=[order.pk]))
    client.post(reverse("extracts:approve", args=[order.pk]))  # sent twice
    order.refresh_from_db()
    assert order.state == OrderState.PENDING
    assert order.approvals.count() == 1 and len(rows(Action.EXTRACT_DECISION)) == 1


def test_a_manager_above_every_unit_approves_alone(w):
    order = data.order(w)
    client_for(w.manager).post(reverse("extracts:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.APPROVED


def test_a_worker_cannot_approve(w):
    order = data.order(w)
    response = client_for(w.worker).post(reverse("extracts:approve", args=[order.pk]))
    assert response.status_code == 403
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and not rows(Action.EXTRACT_DECISION)


def test_an_evaluator_cannot_approve_their_own_order_or_another_evaluators(w):
    order = data.order(w)
    own = client_for(w.evaluator).post(reverse("extracts:approve", args=[order.pk]), follow=True)
    assert "en annan chef godkänner det" in own.content.decode()
    other = UserFactory.member(w.root, Role.EVALUATOR)
    assert client_for(other).post(reverse("extracts:approve", args=[order.pk])).status_code == 404
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and not rows(Action.EXTRACT_DECISION)


def test_an_evaluator_who_is_also_manager_cannot_approve_their_own(w):
    """As petra in the demo: evaluator and manager at the root."""
    order = data.order(w)
    from tillit.org.models import Membership

    Membership.objects.create(user=w.evaluator, unit=w.root, role=Role.MANAGER)
    client_for(w.evaluator).post(reverse("extracts:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.PENDING


def test_a_leader_of_another_unit_finds_no_order(w):
    stranger = UserFactory.member(UnitFactory(name="Annan"), Role.TEAM_LEADER)
    order = data.order(w)
    client = client_for(stranger)
    assert client.get(reverse("extracts:order", args=[order.pk])).status_code == 404
    assert client.post(reverse("extracts:approve", args=[order.pk])).status_code == 404
    assert (
        client.post(reverse("extracts:refuse", args=[order.pk]), {"reason": "x"}).status_code == 404
    )


def test_a_leader_refuses_with_a_reason(w):
    order = data.order(w)
    client = client_for(w.leader_assess)
    empty = client.post(reverse("extracts:refuse", args=[order.pk]), {"reason": "  "})
    assert empty.status_code == 400
    order.refresh_from_db()
    assert order.state == OrderState.PENDING and not rows(Action.EXTRACT_DECISION)
    client.post(reverse("extracts:refuse", args=[order.pk]), {"reason": "Too much for the aim."})
    order.refresh_from_db()
    assert order.state == OrderState.REFUSED and order.refused_by == w.leader_assess
    assert order.secret == ""
    [row] = rows(Action.EXTRACT_DECISION)
    assert row.detail == {"extract": order.pk, "decision": "refused"}
    # Decided: no one approves it after.
    client_for(w.manager).post(reverse("extracts:approve", args=[order.pk]))
    order.refresh_from_db()
    assert order.state == OrderState.REFUSED
    page = client_for(w.evaluator).get(reverse("extracts:order", args=[order.pk]))
    assert "Too much for the aim." in page.content.decode()


@pytest.mark.parametrize("name", ["approve", "refuse", "produce"])
def test_a_get_on_an_action_is_refused(w, name):
    order = data.order(w)
    assert (
        client_for(w.manager).get(reverse(f"extracts:{name}", args=[order.pk])).status_code == 405
    )


def test_the_leaders_list_shows_what_waits_for_them(w):
    order = data.order(w)
    page = client_for(w.leader_out).get(reverse("extracts:orders"))
    assert page.status_code == 200
    assert page.context["waiting"] == [order]
    mine = client_for(w.evaluator).get(reverse("extracts:orders"))
    assert mine.context["mine"] == [order]
    assert client_for(w.evaluator).get(reverse("extracts:codebook")).status_code == 200


# -- producing and downloading --------------------------------------------------------------


def test_the_evaluator_downloads_an_approved_extract_once(
    w, inline, django_capture_on_commit_callbacks
):
    order = data.approved(w)
    client = client_for(w.evaluator)
    response = client.post(reverse("extracts:produce", args=[order.pk]))
    assert response.status_code == 302
    run = Run.objects.get()
    assert run.state == RunState.READY and run.progress == 100
    page = client.get(reverse("extracts:order", args=[order.pk])).content.decode()
    assert "Ladda ner (en gång)" in page
    assert order.secret not in page
    before = AccessLog.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        download = client.post(reverse("extracts:download", args=[run.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"PK")
    assert AccessLog.objects.count() == before + 1
    row = AccessLog.objects.latest("id")
    assert row.action == Action.EXPORT and row.user == w.evaluator and row.person is None
    assert row.detail == {"page": "extract", "extract": order.pk, "run": run.pk}
    run.refresh_from_db()
    assert run.state == RunState.DOWNLOADED
    from tillit.extracts.produce import path_of

    assert not path_of(run).exists()  # kept only until downloaded
    again = client.post(reverse("extracts:download", args=[run.pk]))
    assert again.status_code == 302
    assert AccessLog.objects.count() == before + 1


def test_no_one_downloads_another_evaluators_extract(w, inline):
    order = data.approved(w)
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    run = Run.objects.get()
    other = UserFactory.member(w.root, Role.EVALUATOR)
    for who in (other, w.manager, w.leader_out):
        client = client_for(who)
        assert client.post(reverse("extracts:download", args=[run.pk])).status_code == 404
        assert client.get(reverse("extracts:status", args=[run.pk])).status_code == 404
    assert (
        client_for(w.manager).post(reverse("extracts:produce", args=[order.pk])).status_code == 404
    )
    assert not rows(Action.EXPORT)
    run.refresh_from_db()
    assert run.state == RunState.READY


def test_nothing_to_download_before_the_run_is_ready(w):
    order = data.approved(w)
    run = services.run_start(actor=w.evaluator, order=order)
    client = client_for(w.evaluator)
    status = client.get(reverse("extracts:status", args=[run.pk]))
    assert 'hx-trigger="every 2s"' in status.content.decode()  # the page polls it
    response = client.post(reverse("extracts:download", args=[run.pk]))
    assert response.status_code == 302 and not rows(Action.EXPORT)
    # one run at a time
    client.post(reverse("extracts:produce", args=[order.pk]))
    assert Run.objects.count() == 1


def test_a_run_stopped_by_a_restart_can_be_started_again(w, inline):
    order = data.approved(w)
    run = services.run_start(actor=w.evaluator, order=order)
    Run.objects.filter(pk=run.pk).update(
        state=RunState.RUNNING, updated_at=timezone.now() - datetime.timedelta(hours=1)
    )
    page = client_for(w.evaluator).get(reverse("extracts:order", args=[order.pk]))
    assert "Framtagningen stannade" in page.content.decode()
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    run.refresh_from_db()
    assert run.state == RunState.FAILED and run.error == "Interrupted"
    assert Run.objects.filter(state=RunState.READY).count() == 1


def test_an_extract_not_downloaded_expires(w, inline):
    order = data.approved(w)
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    run = Run.objects.get()
    from tillit.extracts.produce import path_of

    assert path_of(run).exists()
    assert services.runs_purge(timezone.now() + datetime.timedelta(hours=23)) == 0
    assert services.runs_purge(timezone.now() + datetime.timedelta(hours=25)) == 1
    run.refresh_from_db()
    assert run.state == RunState.EXPIRED and not path_of(run).exists()
    response = client_for(w.evaluator).post(reverse("extracts:download", args=[run.pk]))
    assert response.status_code == 302 and not rows(Action.EXPORT)


def test_no_page_shows_a_client(w, inline):
    order = data.approved(w)
    client_for(w.evaluator).post(reverse("extracts:produce", args=[order.pk]))
    run = Run.objects.get()
    pages = [
        (w.evaluator, reverse("extracts:orders")),
        (w.evaluator, reverse("extracts:order", args=[order.pk])),
        (w.evaluator, reverse("extracts:status", args=[run.pk])),
        (w.leader_out, reverse("extracts:order", args=[order.pk])),
        (w.manager, reverse("extracts:orders")),
        (w.evaluator, reverse("extracts:codebook")),
    ]
    for user, url in pages:
        body = client_for(user).get(url).content.decode()
        for secret in [*w.names, *w.numbers, *data.SECRET_TEXT, order.secret]:
            assert secret not in body, (url, secret)
