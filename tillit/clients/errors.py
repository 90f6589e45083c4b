"""The 404 page: to staff refused a client's records by the policy it says so, and whom to
ask; anything else is simply not found. (The 403 page is `views.forbidden`.)"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tillit.clients.access import Unknown


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    user = getattr(request, "user", None)
    staff = bool(user and user.is_authenticated and not user.is_client)
    about_a_client = staff and isinstance(exception, Unknown) and exception.about_a_client
    return render(request, "404.html", {"about_a_client": about_a_client}, status=404)
