"""What makes a view a client's page (the portal, or a client's part of another app).

A client's login (User.is_client) opens only views marked with `client_page`
(tillit.portal.middleware.ClientBoundary); a client who is not logged in is sent to the
portal's login. The first line of such a view is `access.get_own_person(request)`."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required


def client_page(view: Callable) -> Callable:
    wrapped = login_required(view, login_url="portal:login")
    wrapped.client_page = True  # type: ignore[attr-defined]
    return wrapped


def is_client_page(view: Callable) -> bool:
    return getattr(view, "client_page", False)
