"""A signed-in session ends after a while without requests, and at the latest a fixed time
after login however busy it is."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, resolve_url
from django.utils.translation import gettext as _

from tillit.org.lockout import client_address

log = logging.getLogger("tillit.security")

# Unix seconds: when the session logged in, and when it was last seen.
STARTED, SEEN = "tillit_started", "tillit_seen"
# How stale "last seen" may get before it is written again: the session is saved at most
# once a minute for this, not on every request (the idle timeout is then up to a minute
# generous, never short).
SEEN_EVERY = 60

# The browser and address a session logged in from: [summary, address].
FROM = "tillit_from"

# The first that matches names it: Edge and Opera say Chrome too, Chrome says Safari.
BROWSERS = [
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
]
SYSTEMS = [
    ("iPhone", "iPhone"),
    ("iPad", "iPad"),
    ("Android", "Android"),
    ("Windows", "Windows"),
    ("CrOS", "ChromeOS"),
    ("Mac OS X", "macOS"),
    ("Linux", "Linux"),
]


def agent_summary(agent: str) -> str:
    """'Firefox · Windows' from a user-agent string; empty if neither is known."""
    browser = next((name for mark, name in BROWSERS if mark in agent), "")
    system = next((name for mark, name in SYSTEMS if mark in agent), "")
    return " · ".join(part for part in (browser, system) if part)


def expiry(started: int, now: int) -> int:
    """Seconds from now until the session must end: idle time, cut at its absolute age."""
    return max(0, min(settings.SESSION_IDLE_SECONDS, started + settings.SESSION_COOKIE_AGE - now))


@receiver(user_logged_in)
def _start(sender: Any, request: HttpRequest | None, **kwargs: Any) -> None:
    """Stamp a new login, in the save that login() makes anyway: when, and from which
    browser and address, for "Your sessions" (tillit.org.sessions)."""
    if request is None or not hasattr(request, "session"):
        return
    now = int(time.time())
    request.session[STARTED] = request.session[SEEN] = now
    agent = agent_summary(request.META.get("HTTP_USER_AGENT", ""))
    request.session[FROM] = [agent, client_address(request) or ""]
    request.session.set_expiry(expiry(now, now))


class SessionTimeouts:
    """After AuthenticationMiddleware and MessageMiddleware. A session idle for
    SESSION_IDLE_SECONDS (30 min) or older than SESSION_COOKIE_AGE since login (8 h) is
    logged out before the view runs, and the login page says why. Otherwise "last seen"
    is moved on (at most once a minute) and with it the session's expiry in the cookie and
    in the database row, so a session left alone is dead in the database too, whether or
    not it ever comes back."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            session = request.session
            now = int(time.time())
            started = session.get(STARTED)
            seen = session.get(SEEN)
            if started is None or seen is None:  # a session from before this middleware
                started = seen = now
                session[STARTED] = started
            if now - seen > settings.SESSION_IDLE_SECONDS:
                return self._end(request, "idle")
            if now - started > settings.SESSION_COOKIE_AGE:
                return self._end(request, "age")
            if now - seen >= SEEN_EVERY or SEEN not in session:
                session[SEEN] = now
                session.set_expiry(expiry(started, now))
        return self.get_response(request)

    def _end(self, request: HttpRequest, reason: str) -> HttpResponse:
        """Log out and send to the login page, which says why; a GET comes back to where it
        was after the new login. An htmx request reloads its page, which then does that."""
        user = request.user
        client = getattr(user, "is_client", False)
        name = user.get_username()
        # Why, for the access log's row (tillit.audit.events, on user_logged_out).
        request.tillit_session_end_reason = reason  # type: ignore[attr-defined]
        logout(request)
        log.info("session ended: account=%s reason=%s", name, reason)
        if reason == "idle":
            messages.info(request, _("You were logged out after a while without use."))
        else:
            messages.info(request, _("Your session has ended: please log in again."))
        if request.headers.get("HX-Request") == "true":
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        login_url = resolve_url("portal:login" if client else settings.LOGIN_URL)
        if request.method == "GET":
            return redirect_to_login(request.get_full_path(), login_url)
        return redirect(login_url)
