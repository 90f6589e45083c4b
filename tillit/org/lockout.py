"""Throttling and lockout of every form where a password is typed, with django-axes.

The staff login, the portal login and the unlock of the client-facing answer screen all
authenticate through `django.contrib.auth.authenticate`, so axes sees every try. Failures
are counted per account and address together (TILLIT_LOGIN_FAILURES_PER_ACCOUNT, 5) and
per address alone (TILLIT_LOGIN_FAILURES_PER_ADDRESS, 50, higher because a municipality's
staff often share one address); reaching either pauses logins from there for the cool-off
(TILLIT_LOGIN_COOLOFF_MINUTES, 15). A team leader lifts a lockout of the staff and clients
of their units on the page "Locked-out logins" (audit.views.lockouts), an administrator in
the admin (staff: "Lift login lockouts") or with `manage.py axes_reset_username`. The
reasons for these numbers are in docs/architecture.md ("Accounts").

No enumeration: an unknown user name is counted and locked exactly like a known one, the
message is the same, and a locked-out try is refused before any password is checked.
Every failure, lockout and lift goes to the `tillit.security` log: the account (only if it
exists, so a password typed into the user name field is never logged), the address and
the form, never the password.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models import Max, Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils import timezone

from tillit.org.models import User

log = logging.getLogger("tillit.security")


def client_address(request: HttpRequest) -> str | None:
    """The address a try came from. X-Forwarded-For is read only behind as many proxies
    as TILLIT_PROXY_COUNT says, and then the entry the nearest one added: anything to its
    left was written by the client and could be changed on every try."""
    count = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None  # none in a test's force_login


def account_name(request: HttpRequest, credentials: dict | None) -> str:
    """The user name tried, as axes counts it: trimmed and lower-cased, so that 'Anna' and
    'anna ' share one count."""
    data: Any = credentials if credentials else getattr(request, "POST", {})
    return str(data.get("username") or "").strip().lower()[:150]


def failures(attempts: Any) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class Lockouts(AxesDatabaseHandler):
    """Axes' database handler with two limits: one for an account from one address, and
    a higher one for an address whatever the account (password spraying). Axes compares
    one number with one limit, so the address's count is scaled onto the account's limit:
    n * per_account // per_address reaches per_account exactly when n reaches
    per_address."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        by_account, by_address = (failures(q) for q in self.get_user_attempts(request, credentials))
        return max(
            by_account,
            by_address * settings.AXES_FAILURE_LIMIT // settings.LOGIN_FAILURES_PER_ADDRESS,
        )

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """A login that succeeds clears its account's count from its address, but not the
        address's count: one good login must not wipe out a run of guesses at others."""
        by_account = self.filter_user_attempts(request, credentials)[0]
        count, _ = by_account.delete()
        return count


@dataclass
class Locked:
    """An account's lockout in force: the addresses it is locked from, and until when."""

    username: str
    until: datetime.datetime
    addresses: list[str] = field(default_factory=list)


def current() -> dict[str, Locked]:
    """The accounts locked out now, by user name as axes counts it (lower-cased): those
    with as many failures from one address within the cool-off as the account limit. An
    address locked for guessing at many names is no one account's lockout and is not
    here (`manage.py axes_reset_ip` lifts it)."""
    cooloff = settings.AXES_COOLOFF_TIME
    rows = (
        AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cooloff)
        .exclude(username=None)
        .values("username", "ip_address")
        .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
        .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
        .order_by("username", "ip_address")
    )
    locked: dict[str, Locked] = {}
    for row in rows:
        until = row["last"] + cooloff
        entry = locked.setdefault(row["username"], Locked(row["username"], until))
        entry.until = max(entry.until, until)
        entry.addresses.append(row["ip_address"] or "-")
    return locked


def lift(username: str) -> int:
    """End every lockout of `username`, from any address; the count of rows removed."""
    count, _ = AccessAttempt.objects.filter(username=username.strip().lower()).delete()
    return count


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """What a locked-out try sees, in the language of the page it came from: the same
    words whether or not the account exists."""
    try:
        view = resolve(request.path_info).view_name
    except Resolver404:
        view = ""
    base = {
        "feedback:unlock": "feedback/client_base.html",
        "portal:login": "portal/base.html",
    }.get(view, "base.html")
    context = {
        "base_template": base,
        "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "client": view == "portal:login",
        "device": view == "feedback:unlock",
    }
    return render(request, "org/locked_out.html", context, status=429)  # Too Many Requests


def succeeded(request: HttpRequest, user: User) -> None:
    """A password typed right outside a login (the unlock of the answer screen) clears the
    account's count from this address, as a login does (AXES_RESET_ON_SUCCESS)."""
    if getattr(settings, "AXES_ENABLED", True):
        AxesProxyHandler.update_request(request)
        AxesProxyHandler.get_implementation().reset_user_attempts(
            request, {"username": user.get_username()}
        )


def _known(username: str) -> str:
    """The account for the log, or '(unknown)': what was typed is logged only if it is an
    account's name, never anything else (it may be a password typed in the wrong field)."""
    exists = User.objects.filter(username__iexact=username).exists() if username else False
    return username if exists else "(unknown)"


def _form(request: HttpRequest | None) -> str:
    return getattr(request, "path_info", "") or "-"


@receiver(user_login_failed)
def _log_failure(sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any):
    if request is None:
        return
    log.warning(
        "login failed: account=%s address=%s form=%s failures=%s",
        _known(account_name(request, credentials)),
        client_address(request),
        _form(request),
        getattr(request, "axes_failures_since_start", None) or "-",
    )


@receiver(user_locked_out)
def _log_lockout(sender: Any, request: HttpRequest, username: str | None, **kw: Any) -> None:
    log.warning(
        "lockout: account=%s address=%s form=%s until=%s",
        _known(username or ""),
        client_address(request),
        _form(request),
        (timezone.now() + settings.AXES_COOLOFF_TIME).isoformat(timespec="seconds"),
    )


@receiver(user_logged_in)
def _log_login(sender: Any, request: HttpRequest | None, user: User, **kw: Any) -> None:
    if request is not None and request.META.get("REMOTE_ADDR"):  # not the tests' force_login
        log.info(
            "login: account=%s address=%s form=%s",
            user.get_username(),
            client_address(request),
            _form(request),
        )


def log_lift(*, username: str, by: object, count: int) -> None:
    log.warning("lockout lifted: account=%s by=%s attempts=%d", username, by, count)
