"""The staff login, with a second factor (TOTP) for staff where the deployment asks for it.

All on the one login URL, in steps kept in the (not yet signed-in) session: the password,
then the code from the authenticator app, or, the first time, the app's set-up (a QR
code and the key written out) and then a code, after which the recovery codes are shown
once. The session is signed in only when both factors are given, so every signed-in
staff session has passed both, and nothing needs to be checked again on each request.

Required for staff (not clients) when settings.REQUIRE_MFA (TILLIT_REQUIRE_MFA, on by
default when TILLIT_DEBUG=0); a staff member who has set up an app is asked for it in
any case. Wrong codes count as failed logins for the lockout (tillit/org/lockout.py), on
top of django-otp's own growing delay per device. django-otp was chosen over
django-allauth's MFA and django-two-factor-auth in docs/architecture.md ("Accounts").
"""

from __future__ import annotations

import logging
import secrets
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django import forms
from django.conf import settings
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tillit.lib.qr import qr_svg
from tillit.org import lockout
from tillit.org.models import User
from tillit.org.signals import security_event

log = logging.getLogger("tillit.security")

PENDING = "tillit_login_pending"  # {"user": pk, "backend": path, "at": unix, "next": url}
PENDING_SECONDS = 5 * 60
RECOVERY_CODES = 10
BACKEND = "tillit.org.backends.UserWithRoles"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=16,
        help_text=gettext_lazy("The 6 digits in your authenticator app, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


def needs_second_factor(user: User) -> bool:
    if user.is_client:
        return False
    return settings.REQUIRE_MFA or TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def _next(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters()
@csrf_protect
@never_cache
@login_not_required
def login_view(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_next(request))
    pending = request.session.get(PENDING)
    if pending and (request.GET.get("restart") or time.time() - pending["at"] > PENDING_SECONDS):
        del request.session[PENDING]
        pending = None
    if pending:
        user = User.objects.filter(pk=pending["user"], is_active=True).first()
        if user is not None:
            return _second_factor(request, user, pending)
        del request.session[PENDING]
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.get_user()
        if not needs_second_factor(user):
            auth_login(request, user)
            return redirect(_next(request))
        request.session[PENDING] = {
            "user": user.pk,
            "backend": getattr(user, "backend", BACKEND),
            "at": int(time.time()),
            "next": _next(request),
        }
        return redirect(request.path)
    return render(request, "registration/login.html", {"form": form, "next": _next(request)})


def _second_factor(request: HttpRequest, user: User, pending: dict) -> HttpResponse:
    credentials = {"username": user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        return lockout.locked_out(request, None, credentials)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    enrolling = device is None
    if enrolling:
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].replace(" ", "").replace("-", "")
        if code.isdigit() and device.verify_token(code):
            return _signed_in(request, user, pending, device, enrolling)
        if not code.isdigit() and not enrolling and _recovery_code_used(user, code):
            log.warning("mfa recovery code used: account=%s", user.get_username())
            security_event.send(
                __name__,
                action="mfa_change",
                user=user,
                request=request,
                detail={"change": "recovery_code_used"},
            )
            return _signed_in(request, user, pending, device, enrolling=False)
        log.warning(
            "mfa failed: account=%s address=%s",
            user.get_username(),
            lockout.client_address(request),
        )
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        form.add_error("code", _("That code is not right. Try the newest one in the app."))
    context: dict[str, Any] = {"form": form, "enrolling": enrolling, "person": user}
    if enrolling:
        context["qr"] = qr_svg(device.config_url, _("QR code for your authenticator app"))
        secret = device.config_url.split("secret=", 1)[1].split("&", 1)[0]
        context["secret"] = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render(request, "org/login_code.html", context)


def _recovery_code_used(user: User, code: str) -> bool:
    """A recovery code works once (django-otp's static device deletes it when used)."""
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return static is not None and static.verify_token(code.lower())


def _signed_in(
    request: HttpRequest, user: User, pending: dict, device: TOTPDevice, enrolling: bool
) -> HttpResponse:
    del request.session[PENDING]
    codes: list[str] = []
    if enrolling:
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_create(user)
        log.warning("mfa enrolled: account=%s", user.get_username())
        security_event.send(
            __name__, action="mfa_change", user=user, request=request, detail={"change": "enrolled"}
        )
    auth_login(request, user, backend=pending.get("backend") or BACKEND)
    if codes:
        return render(request, "org/recovery_codes.html", {"codes": codes, "next": pending["next"]})
    return redirect(pending["next"])


def recovery_codes_create(user: User) -> list[str]:
    """New recovery codes for `user`, replacing any old ones, shown once. django-otp's
    static device keeps one row per code (as it keeps the TOTP key, in the clear) and
    deletes a code when it is used."""
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def devices_reset(user: User, *, by: object, request: HttpRequest | None = None) -> int:
    """Remove a user's authenticator and recovery codes (a lost phone): their next login
    sets up a new one. The count of devices removed."""
    removed = TOTPDevice.objects.filter(user=user).delete()[0]
    removed += StaticDevice.objects.filter(user=user).delete()[0]
    log.warning("mfa reset: account=%s by=%s devices=%d", user.get_username(), by, removed)
    security_event.send(
        __name__,
        action="mfa_change",
        user=user,
        request=request,
        by=by,
        detail={"change": "reset", "devices": removed},
    )
    return removed


class ClientLoginForm(AuthenticationForm):
    """The portal's login: staff who must give a second factor cannot use it to skip
    one. They are told what anyone with a wrong password is told."""

    def confirm_login_allowed(self, user: User) -> None:
        super().confirm_login_allowed(user)
        if needs_second_factor(user):
            raise self.get_invalid_login_error()
