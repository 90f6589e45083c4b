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


# -- "Your sessions": a staff member sees and ends their other sessions ------------------

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
SESSIONS = reverse("org:sessions")


def logged_in(user, agent: str = FIREFOX, address: str = "10.1.1.1"):  # type: ignore[no-untyped-def]
    """A browser logged in through the login form, as a person does."""
    from django.test import Client

    from tillit.factories import TEST_PASSWORD

    client = Client(HTTP_USER_AGENT=agent, REMOTE_ADDR=address)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), {"username": user.username, "password": TEST_PASSWORD})
    assert response.status_code == 302
    return client


def ended_rows() -> list:
    from tillit.audit.models import AccessLog, Action

    return list(AccessLog.objects.filter(action=Action.SESSION_END).order_by("id"))


def test_the_browser_is_summed_up_in_a_few_words():
    from tillit.org.middleware import agent_summary

    assert agent_summary(FIREFOX) == "Firefox · Windows"
    assert agent_summary(IPHONE) == "Safari · iPhone"
    edge = "Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 Chrome/131.0 Safari/537.36 Edg/131.0"
    assert agent_summary(edge) == "Edge · Windows"
    assert agent_summary("curl/8.5") == ""


def test_your_sessions_shows_where_you_are_logged_in(worker):
    laptop = logged_in(worker)
    logged_in(worker, IPHONE, "10.2.2.2")
    page = laptop.get(SESSIONS).content.decode()
    assert "Firefox · Windows" in page and "10.1.1.1" in page
    assert "Safari · iPhone" in page and "10.2.2.2" in page
    assert page.count("This session") == 1 and page.count('name="end"') == 2
    # The session keys are the logins themselves: never on the page.
    for key in Session.objects.filter(user=worker).values_list("session_key", flat=True):
        assert key not in page
    assert f'href="{SESSIONS}"' in page  # from the header of every staff page


def test_ending_another_session_logs_it_out_and_is_recorded(worker, caplog):
    caplog.set_level(logging.INFO, logger="tillit.security")
    laptop, phone = logged_in(worker), logged_in(worker, IPHONE, "10.2.2.2")
    page = laptop.get(SESSIONS)
    (other,) = [s for s in page.context["sessions"] if not s.current]

    response = laptop.post(SESSIONS, {"end": other.reference}, follow=True)

    assert "Ended 1 session." in response.content.decode()
    assert phone.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("clients:caseload")).status_code == 200
    (row,) = ended_rows()
    assert row.user == worker and "by" not in row.detail
    assert (row.detail["reason"], row.detail["all"], row.detail["count"]) == (
        "ended_by_user",
        False,
        1,
    )
    assert "sessions ended: account=worker by=self count=1" in caplog.text


def test_ending_all_others_keeps_this_one(worker, colleague):
    laptop = logged_in(worker)
    others = [logged_in(worker, IPHONE, f"10.2.2.{n}") for n in range(2)]
    colleagues = client_for(colleague)
    laptop.post(SESSIONS, {"end": "others"})
    assert Session.objects.filter(user=worker).count() == 1
    for client in others:
        assert client.get(reverse("clients:caseload"))["Location"].startswith(reverse("login"))
    assert laptop.get(reverse("clients:caseload")).status_code == 200
    assert colleagues.get(reverse("clients:caseload")).status_code == 200
    assert ended_rows()[-1].detail | {"address": None} == {
        "reason": "ended_by_user",
        "all": True,
        "count": 2,
        "address": None,
    }
    assert "You are logged in nowhere else." in laptop.get(SESSIONS).content.decode()


def test_someone_elses_session_or_this_one_cannot_be_ended_here(worker, colleague):
    from tillit.org.sessions import reference

    laptop = logged_in(worker)
    theirs = logged_in(colleague, IPHONE, "10.2.2.2")
    for key in [
        Session.objects.get(user=colleague).session_key,
        laptop.session.session_key,
    ]:
        response = laptop.post(SESSIONS, {"end": reference(key)}, follow=True)
        assert "That session has already ended." in response.content.decode()
    assert theirs.get(reverse("clients:caseload")).status_code == 200
    assert laptop.get(reverse("clients:caseload")).status_code == 200
    assert ended_rows() == []


def test_nothing_chosen_is_a_clear_message(worker):
    laptop = logged_in(worker)
    for data in ({}, {"end": ""}, {"end": "x" * 500}):
        response = laptop.post(SESSIONS, data, follow=True)
        assert response.status_code == 200
        assert "Choose the session to end." in response.content.decode()
    assert ended_rows() == []


def test_a_client_has_no_sessions_page_of_staff(client_self):
    response = client_for(client_self).get(SESSIONS)
    assert response["Location"] == reverse("portal:home")
