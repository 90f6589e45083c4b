"""Every form where a password is typed is throttled and locks out (tillit/org/lockout.py):
the staff login, the portal login and the unlock of the client-facing answer screen."""

from __future__ import annotations

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tillit.conftest import client_for
from tillit.factories import TEST_PASSWORD
from tillit.feedback.middleware import CLIENT_MODE

LIMIT = 5  # TILLIT_LOGIN_FAILURES_PER_ACCOUNT's default


def browser(address: str = "10.0.0.1", language: str = "en") -> Client:
    client = Client(REMOTE_ADDR=address)
    client.cookies["django_language"] = language
    return client


def login(client: Client, username: str, password: str, url: str = "login"):  # type: ignore[no-untyped-def]
    return client.post(reverse(url), {"username": username, "password": password})


def fail(client: Client, username: str, times: int, url: str = "login") -> list[int]:
    return [login(client, username, "wrong-guess", url).status_code for _ in range(times)]


def test_staff_login_locks_after_five_wrong_passwords(worker):
    client = browser()
    assert fail(client, "worker", LIMIT) == [200] * (LIMIT - 1) + [429]
    response = login(client, "worker", TEST_PASSWORD)  # the right one, too late
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many wrong passwords" in page
    assert "paused for 15 minutes" in page
    assert "team leader or an administrator" in page
    assert "_auth_user_id" not in client.session


def test_the_lock_is_per_account_and_address(worker, colleague):
    fail(browser("10.0.0.1"), "worker", LIMIT)
    # The same account from another address, and another account from the same one.
    assert login(browser("10.0.0.2"), "worker", TEST_PASSWORD).status_code == 302
    assert login(browser("10.0.0.1"), "colleague", TEST_PASSWORD).status_code == 302


def test_an_address_guessing_at_many_accounts_is_locked_at_its_own_limit(
    worker, colleague, settings
):
    settings.LOGIN_FAILURES_PER_ADDRESS = 8
    client = browser()
    for name in ("anna", "bertil", "cecilia", "david"):
        fail(client, name, 2)  # 8 failures, none at the account limit
    assert login(client, "worker", TEST_PASSWORD).status_code == 429
    assert login(browser("10.0.0.2"), "worker", TEST_PASSWORD).status_code == 302


def test_an_unknown_user_name_looks_the_same(worker):
    """No enumeration: the same answers, the same lockout, for a name that is no one's."""
    known, unknown = browser("10.0.0.1"), browser("10.0.0.2")
    statuses = fail(known, "worker", LIMIT), fail(unknown, "nobody-here", LIMIT)
    assert statuses[0] == statuses[1]
    tries = ((known, "worker"), (unknown, "nobody-here"))
    pages = [login(client, name, "x").content.decode() for client, name in tries]
    assert len({re.sub(r"[A-Za-z0-9]{64}", "<csrf>", page) for page in pages}) == 1


def test_a_login_clears_its_own_count_but_not_the_guesses_at_others(worker, settings):
    settings.LOGIN_FAILURES_PER_ADDRESS = 6
    client = browser()
    fail(client, "anna", 3)
    fail(client, "worker", 2)
    assert login(client, "worker", TEST_PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="worker").exists()
    client = browser()
    assert fail(client, "bertil", 3) == [200, 200, 429]  # anna's 3 still count


def test_the_lock_ends_after_the_cool_off(worker):
    client = browser()
    fail(client, "worker", LIMIT)
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.get().attempt_time - COOLOFF)
    assert login(client, "worker", TEST_PASSWORD).status_code == 302


COOLOFF = datetime.timedelta(minutes=15, seconds=1)


def test_a_lock_does_not_grow_with_tries_during_it(worker):
    client = browser()
    fail(client, "worker", LIMIT)
    locked_at = AccessAttempt.objects.get().attempt_time
    fail(client, "worker", 3)
    assert AccessAttempt.objects.get().attempt_time == locked_at


def test_user_names_are_counted_as_one_whatever_their_case(worker):
    client = browser()
    for name in ("worker", "Worker", " WORKER", "worker ", "woRKer"):
        login(client, name, "wrong-guess")
    assert login(client, "worker", TEST_PASSWORD).status_code == 429


def test_portal_login_locks_too_and_says_so_in_plain_words(client_self):
    client = browser(language="sv")
    username = client_self.get_username()
    assert fail(client, username, LIMIT, "portal:login")[-1] == 429
    page = login(client, username, TEST_PASSWORD, "portal:login").content.decode()
    assert "För din säkerhet" in page or "säkerhet" in page
    assert "kontaktperson" in page
    assert "Mina ärenden" not in page  # the portal's page, not staff's


def test_forwarded_for_is_not_believed_unless_behind_a_proxy(worker, settings):
    client = browser()
    for n in range(LIMIT):
        client.post(
            reverse("login"),
            {"username": "worker", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    assert login(client, "worker", TEST_PASSWORD).status_code == 429

    settings.PROXY_COUNT = 1
    AccessAttempt.objects.all().delete()
    behind = browser("10.9.9.9")  # the proxy's address
    for n in range(LIMIT):
        behind.post(
            reverse("login"),
            {"username": "worker", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"203.0.113.66, 192.0.2.{n}",
        )
    # The proxy appended five different clients: no one of them is locked.
    response = behind.post(
        reverse("login"),
        {"username": "worker", "password": TEST_PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.200",
    )
    assert response.status_code == 302


@pytest.fixture
def hand_over(worker, case):
    from tillit.factories import EntryFactory

    meeting = EntryFactory(case=case, author=worker, signed=True)
    client = client_for(worker)
    client.defaults["REMOTE_ADDR"] = "10.0.0.1"
    client.cookies["django_language"] = "en"
    client.post(
        reverse("feedback:meeting", args=[meeting.pk]), {"when": "after", "how": "hand_over"}
    )
    assert CLIENT_MODE in client.session
    return client


def test_the_answer_screen_cannot_be_unlocked_by_guessing(hand_over, worker):
    """A client holding the worker's device has five tries at the worker's password."""
    unlock = reverse("feedback:unlock")
    statuses = [hand_over.post(unlock, {"password": "guess"}).status_code for _ in range(LIMIT)]
    assert statuses == [200] * (LIMIT - 1) + [429]
    response = hand_over.post(unlock, {"password": TEST_PASSWORD})
    assert response.status_code == 429
    page = response.content.decode()
    assert "This device stays locked for the client." in page
    assert "Log out" not in page  # the client's screen, no staff header
    assert CLIENT_MODE in hand_over.session
    assert hand_over.get(reverse("clients:caseload"))["Location"] == unlock
    # The worker's own login from that address is paused as well: same account, same place.
    assert login(browser("10.0.0.1"), "worker", TEST_PASSWORD).status_code == 429


def test_unlocking_clears_the_count(hand_over):
    unlock = reverse("feedback:unlock")
    for _ in range(LIMIT - 1):
        hand_over.post(unlock, {"password": "guess"})
    assert hand_over.post(unlock, {"password": TEST_PASSWORD}).status_code == 302
    assert not AccessAttempt.objects.filter(username="worker").exists()


def test_an_administrator_lifts_a_lockout(worker, administrator):
    client = browser()
    fail(client, "worker", LIMIT)
    response = client_for(administrator).post(
        reverse("admin:org_user_changelist"),
        {"action": "lift_lockouts", "_selected_action": [worker.pk]},
    )
    assert response.status_code == 302
    assert login(client, "worker", TEST_PASSWORD).status_code == 302


def test_every_failure_and_lockout_is_in_the_security_log_without_the_password(worker, caplog):
    caplog.set_level(logging.INFO, logger="tillit.security")
    client = browser()
    login(client, "worker", "hunter2-secret")
    login(client, "hunter2-typed-as-name", "x")
    fail(client, "worker", LIMIT)
    login(client, "worker", TEST_PASSWORD)
    messages = [r.getMessage() for r in caplog.records if r.name == "tillit.security"]
    assert any(m.startswith("login failed: account=worker address=10.0.0.1") for m in messages)
    assert any(m.startswith("login failed: account=(unknown)") for m in messages)
    assert any(m.startswith("lockout: account=worker address=10.0.0.1") for m in messages)
    text = "\n".join(messages)
    assert "hunter2" not in text
    assert TEST_PASSWORD not in text
    stored = "".join(a.post_data + a.get_data for a in AccessAttempt.objects.all())
    assert "hunter2-secret" not in stored
    assert TEST_PASSWORD not in stored
