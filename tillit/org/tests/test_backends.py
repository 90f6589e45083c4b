"""A session's user is read with their roles in one query after the session's own, and the
roles are read afresh on every request."""

import datetime

from django.contrib.auth import get_user
from django.urls import reverse
from django.utils import timezone

from tillit.conftest import client_for
from tillit.org.backends import UserWithRoles
from tillit.org.models import Membership, Role, Session
from tillit.org.sessions import SessionStore


def test_the_user_comes_with_every_role_in_one_query(
    leader, unit, other_unit, django_assert_num_queries
):
    Membership.objects.create(user=leader, unit=other_unit, role=Role.WORKER)
    with django_assert_num_queries(1):
        user = UserWithRoles().get_user(leader.pk)
        assert user == leader
        assert user.unit_ids(Role.TEAM_LEADER) == {unit.pk}
        assert user.unit_ids(Role.WORKER) == {other_unit.pk}
        assert user.unit_ids() == {unit.pk, other_unit.pk}
        assert user.is_leader


def test_a_user_without_roles_is_read_too(client_self, django_assert_num_queries):
    with django_assert_num_queries(1):
        user = UserWithRoles().get_user(client_self.pk)
        assert user == client_self
        assert user.unit_ids() == set()


def test_an_unknown_or_inactive_user_is_no_one(worker):
    assert UserWithRoles().get_user(worker.pk + 1000) is None
    worker.is_active = False
    worker.save()
    assert UserWithRoles().get_user(worker.pk) is None


def test_a_role_taken_away_closes_its_pages_on_the_next_request(leader, unit):
    client = client_for(leader)
    page = reverse("clients:unit", args=[unit.pk])
    assert client.get(page).status_code == 200
    Membership.objects.filter(user=leader).delete()
    assert client.get(page).status_code in (403, 404)
    assert reverse("audit:review") not in client.get(reverse("home"), follow=True).text


def test_a_request_reads_its_session_then_its_user_with_roles(
    worker, unit, client, rf, django_assert_num_queries
):
    client.force_login(worker)
    request = rf.get("/")
    request.session = client.session  # not read yet
    with django_assert_num_queries(2):  # the session; its user joined to their roles
        user = get_user(request)
        assert user == worker
        assert user.unit_ids(Role.WORKER) == {unit.pk}


def test_a_sessions_row_names_its_user_from_login_to_logout(worker, client):
    client.force_login(worker)
    assert Session.objects.get(session_key=client.session.session_key).user == worker
    client.post(reverse("logout"))
    assert not Session.objects.filter(user=worker).exists()


def test_a_password_change_still_ends_other_sessions(worker, client):
    client.force_login(worker)
    page = reverse("clients:caseload")
    assert client.get(page).status_code == 200
    worker.set_password("a-new-password-for-tests")
    worker.save()
    assert client.get(page).status_code == 302  # Django's session hash check still holds


def test_a_session_before_login_keeps_its_data_and_has_no_user(db, rf):
    store = SessionStore()
    store["seen"] = "yes"
    store.create()
    loaded = SessionStore(store.session_key)
    assert loaded["seen"] == "yes"
    request = rf.get("/")
    request.session = loaded
    assert not get_user(request).is_authenticated


def test_an_expired_or_unknown_session_is_empty(worker, client, rf):
    client.force_login(worker)
    key = client.session.session_key
    Session.objects.filter(session_key=key).update(
        expire_date=timezone.now() - datetime.timedelta(seconds=1)
    )
    expired = SessionStore(key)
    assert expired.load() == {}
    assert expired.session_key is None  # a new key will be issued, never the old one
    assert SessionStore("x" * 32).load() == {}
