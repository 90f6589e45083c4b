"""How a view tells the user what a service did (tillit.lib.http.told)."""

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from tillit.lib.http import told


def _request():  # type: ignore[no-untyped-def]
    request = RequestFactory().post("/")
    request._messages = CookieStorage(request)
    return request


def test_told_says_the_success_or_the_services_refusal_and_nothing_else():
    request = _request()
    with told(request, "Done."):
        pass
    with told(request, "Not said."):
        raise ValidationError(["The first reason.", "A second."])
    assert [(m.level_tag, str(m)) for m in get_messages(request)] == [
        ("success", "Done."),
        ("error", "The first reason."),
    ]
    with pytest.raises(KeyError), told(request, "Not said either."):
        raise KeyError("not a refusal")
