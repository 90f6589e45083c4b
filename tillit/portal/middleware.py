"""A client's login opens client pages (tillit.lib.portal.client_page) and nothing else:
not a staff page, not the admin."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

from tillit.lib.portal import is_client_page

OPEN_TO_CLIENTS = {"logout", "set_language", "portal:login", "portal:activate"}


class ClientBoundary:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.is_client
            and not request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
        ):
            try:
                match = resolve(request.path_info)
            except Resolver404:
                return redirect("portal:home")
            if not is_client_page(match.func) and match.view_name not in OPEN_TO_CLIENTS:
                return redirect("portal:home")
        return self.get_response(request)
