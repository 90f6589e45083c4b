"""The request type of Tillit's views: always logged in (LoginRequiredMiddleware),
with htmx details (django-htmx)."""

from django.http import HttpRequest
from django_htmx.middleware import HtmxDetails

from tillit.org.models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
    htmx: HtmxDetails
