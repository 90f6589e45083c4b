"""A request that may write is one transaction; a read is not. And the headers every
response carries that Django does not send itself."""

from __future__ import annotations

import functools
from collections.abc import Callable

from csp.constants import HEADER as CSP_HEADER
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseNotAllowed

# The methods that must not change anything (RFC 9110), and in Tillit do not: a read writes
# only its audit row (tillit/tests/test_urls.py holds every URL to that).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
PDF_POLICY = (
    "default-src 'none'; object-src 'self'; style-src 'unsafe-inline'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class WritesInOneTransaction:
    """Django's ATOMIC_REQUESTS, for the requests that may write: the view of a POST runs
    in one transaction, so its changes and its audit row commit together or not at all,
    and an exception rolls back both. A read's only write is its audit row, which commits
    on its own as it is written, before any of the data it covers is rendered; the read
    is spared the BEGIN and COMMIT round trips. Last in MIDDLEWARE, so that the CSRF and
    login checks have run before it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable, args: tuple, kwargs: dict
    ) -> HttpResponse | None:
        if request.method in SAFE_METHODS:
            return None
        with transaction.atomic():
            return view(request, *args, **kwargs)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, with Tillit's one policy built once per process instead of
    on every response (it cost about a tenth of a millisecond of each request). Anything
    that asks for more (a view's own policy, a nonce, report-only, the debug pages) goes
    the library's way."""

    @functools.cached_property
    def policy(self) -> str:
        return build_policy()

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        own = ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
        if (
            settings.DEBUG
            or CSP_HEADER in response
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or getattr(request, "_csp_nonce", None) is not None
            or any(getattr(response, name, None) is not None for name in own)
        ):
            return super().process_response(request, response)
        response[CSP_HEADER] = self.policy
        return response


class SecurityHeaders:
    """What Django's own middleware does not send: `Cache-Control: no-store` on every
    response that is not a static file (pages, fragments, PDFs and redirects all may hold
    client data or a CSRF token, and a shared computer's browser cache or back button
    must not show them after logout), and `Permissions-Policy` (settings.PERMISSIONS_POLICY).
    Static files are answered by whitenoise before this runs, with their own long cache.
    The Content-Security-Policy is django-csp's (settings.CONTENT_SECURITY_POLICY)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.permissions_policy = settings.PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if "no-store" not in response.get("Cache-Control", ""):
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", self.permissions_policy)
        if response.get("Content-Type", "").startswith("application/pdf"):
            # Chromium shows a PDF in a page of its own making, with inline styles and an
            # <embed>: the pages' policy leaves it blank. A PDF runs no script, so it gets
            # a policy that allows its viewer and nothing else (django-csp then adds none).
            response.setdefault("Content-Security-Policy", PDF_POLICY)
        return response


# What a page of Tillit's is asked with: a form posts, everything else gets.
PAGE_METHODS = ("GET", "HEAD", "POST")


class PageMethodsOnly:
    """Refuse PUT, PATCH, DELETE, OPTIONS and anything else with 405 before any view runs,
    so no view answers a method it was not written for (Tillit has no API taking them).
    Views that only show take GET and HEAD (`require_safe`); views that only act take POST
    (`require_POST`); the URLconf walk sends every method to every URL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in PAGE_METHODS:
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)
