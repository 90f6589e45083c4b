"""The request type of Tillit's views: always logged in (LoginRequiredMiddleware),
with htmx details (django-htmx); and how a view tells the user what a service did."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

if TYPE_CHECKING:  # lib depends on no app; the type is the project's user
    from tillit.org.models import User


class AuthedRequest(HttpRequest):
    user: "User"
    htmx: HtmxDetails


@contextmanager
def told(request: HttpRequest, success: str) -> Iterator[None]:
    """Run the service call in the block and tell the user how it went, as a message on the
    next page: the service's refusal (the first message of its ValidationError), or
    `success`. Nothing else is caught."""
    try:
        yield
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, success)
