"""While a worker's device is handed to a client, nothing but the answer screen opens."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import Resolver404, resolve

CLIENT_MODE = "feedback_client_mode"
OPEN_WHILE_LOCKED = {"feedback:answer", "feedback:unlock", "set_language"}


class ClientModeLock:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CLIENT_MODE in request.session and not request.path.startswith(
            "/" + settings.STATIC_URL.lstrip("/")
        ):
            try:
                name = resolve(request.path_info).view_name
            except Resolver404:
                name = ""
            if name not in OPEN_WHILE_LOCKED:
                return redirect("feedback:unlock")
        return self.get_response(request)
