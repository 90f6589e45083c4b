"""A session ends after a while without use and at the latest a fixed time after login
(tillit.org.middleware.SessionTimeouts); an administrator can end all of a user's."""

from __future__ import annotations

import datetime
import logging
import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tillit.conftest import client_for
from tillit.org.middleware import SEEN, STARTED
from tillit.org.models import Session


def shift(client, **seconds_ago: int) -> None:  # type: ignore[no-untyped-def]
    """Move the session's login and last request into the past."""
    session = client.session
    for key, ago in seconds_ago.items():
        session[{"started": STARTED, "seen": SEEN}[key]] = int(time.time()) - ago
    session.save()


def test_a_login_expires_in_the_database_after_the_idle_time(worker, settings):
    client = client_for(worker)
    row = Session.objects.get(user=worker)
    expected = timezone.now() + datetime.timedelta(seconds=settings.SESSION_IDLE_SECONDS)
    assert abs((row.expire_date - expected).total_seconds()) < 30
    assert client.get(reverse("clients:caseload")).status_code == 200


def test_an_idle_session_is_logged_out_and_told_why(worker, settings, caplog):
    caplog.set_level(logging.INFO, logger="tillit.security")
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    shift(client, seen=settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("clients:caseload"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=/caseload/")
    page = client.get(response["Location"]).content.decode()
    assert "You were logged out after a while without use." in page
    assert "session ended: account=worker reason=idle" in caplog.text
    assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))


def test_a_busy_session_still_ends_at_its_absolute_age(worker, settings):
    client = client_for(worker)
    shift(client, started=settings.SESSION_COOKIE_AGE + 1, seen=5)
    response = client.get(reverse("clients:caseload"))
    assert response["Location"].startswith(reverse("login"))


def test_an_idle_htmx_request_reloads_its_page(worker, settings):
    client = client_for(worker)
    shift(client, seen=settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("clients:caseload"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Refresh"] == "true"


def test_a_client_is_sent_to_the_portals_login(client_self, settings):
    client = client_for(client_self)
    shift(client, seen=settings.SESSION_IDLE_SECONDS + 1)
    response = client.get(reverse("portal:home"))
    assert response["Location"].startswith(reverse("portal:login"))


def test_activity_moves_the_expiry_on_at_most_once_a_minute(worker, settings):
    client = client_for(worker)
    page = reverse("clients:caseload")
    with CaptureQueriesContext(connection) as queries:
        client.get(page)
    assert not [q for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]

    shift(client, seen=61)
    Session.objects.update(expire_date=timezone.now() + datetime.timedelta(seconds=100))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(page).status_code == 200
    assert [q for q in queries if q["sql"].startswith("UPDATE") and "session" in q["sql"]]
    row = Session.objects.get(user=worker)
    assert (row.expire_date - timezone.now()).total_seconds() > settings.SESSION_IDLE_SECONDS - 30


def test_an_administrator_ends_all_sessions_of_a_user(worker, administrator):
    laptop, phone = client_for(worker), client_for(worker)
    response = client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "end_sessions", "_selected_action": [worker.pk]},
    )
    assert response.status_code == 302
    assert not Session.objects.filter(user=worker).exists()
    for client in (laptop, phone):
        assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))
