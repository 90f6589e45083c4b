"""A request that may write is one transaction; a read is not."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.http import HttpRequest, HttpResponse

# The methods that must not change anything (RFC 9110), and in Tillit do not: a read writes
# only its audit row (tillit/tests/test_urls.py holds every URL to that).
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


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
