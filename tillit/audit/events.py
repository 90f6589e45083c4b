"""Security events as access log rows with no client: a failed login, a lockout, a second
factor set up, used up or reset, a session ended (logout, timeout, an administrator) and a
role given or taken (the admin's roles in units). `user` is the account the event is
about (None for a user name that is no account's), `detail["by"]` whoever did it when that
is someone else. What was typed as a user name is kept only if it is an account's, and a
password never: it may have been typed into the wrong field.

They are written in the request's transaction, like every audit row (a failed login
commits with its response), and chained and sealed like every other row."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from tillit.audit.models import AccessLog, Action
from tillit.org import lockout
from tillit.org.models import User
from tillit.org.signals import security_event

# Why a session ended, set on the request by whoever ends it before logout() (the
# timeouts); a plain logout otherwise.
SESSION_END_REASON = "tillit_session_end_reason"


def _account(username: str) -> User | None:
    return User.objects.filter(username__iexact=username).first() if username else None


def record(
    action: str,
    *,
    user: User | None,
    request: HttpRequest | None = None,
    by: object | None = None,
    unit_id: int | None = None,
    detail: dict | None = None,
) -> AccessLog:
    detail = dict(detail or {})
    if request is not None:
        detail.setdefault("address", lockout.client_address(request))
    if by is not None and getattr(by, "pk", None) != getattr(user, "pk", None):
        name = by.get_username() if hasattr(by, "get_username") else str(by)
        detail["by"] = {"id": getattr(by, "pk", None), "username": name}
    return AccessLog.objects.create(
        user=user,
        unit_id=unit_id,
        action=action,
        path=(getattr(request, "path", "") or "")[:300],
        detail=detail,
    )


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def _login_failed(sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any):
    if request is None:
        return
    account = _account(lockout.account_name(request, credentials))
    record(
        Action.LOGIN_FAILED,
        user=account,
        request=request,
        detail={"username": account.get_username() if account else "(unknown)"},
    )


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def _locked_out(sender: Any, request: HttpRequest, username: str | None, **kw: Any) -> None:
    account = _account((username or "").strip().lower())
    record(
        Action.LOCKOUT,
        user=account,
        request=request,
        detail={"username": account.get_username() if account else "(unknown)"},
    )


@receiver(user_logged_out, dispatch_uid="audit_logged_out")
def _logged_out(sender: Any, request: HttpRequest | None, user: User | None, **kw: Any) -> None:
    if user is None or not getattr(user, "pk", None):
        return
    reason = getattr(request, SESSION_END_REASON, "logout") if request is not None else "logout"
    record(Action.SESSION_END, user=user, request=request, detail={"reason": reason})


@receiver(security_event, dispatch_uid="audit_security_event")
def _security_event(
    sender: Any,
    action: str,
    user: User,
    request: HttpRequest | None = None,
    by: object | None = None,
    unit_id: int | None = None,
    detail: dict | None = None,
    **kw: Any,
) -> None:
    record(action, user=user, request=request, by=by, unit_id=unit_id, detail=detail)
