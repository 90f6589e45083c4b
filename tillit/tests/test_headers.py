"""Every URL of the walk (tillit/tests/test_urls.py, read here, not changed) answers with a
strict Content-Security-Policy, `Cache-Control: no-store`, a Permissions-Policy and the
headers Django's own middleware sends, whoever asks and whatever the answer (a page, a
redirect, a refusal, a PDF)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import NoReverseMatch, reverse

from tillit.conftest import client_for
from tillit.lib.middleware import PDF_POLICY
from tillit.tests import test_urls as walk

# The walk's fixtures (objects, personas and what they need), without its tests.
for _name, _value in vars(walk).items():
    if type(_value).__name__ == "FixtureFunctionDefinition" or hasattr(
        _value, "_pytestfixturefunction"
    ):
        globals()[_name] = _value


def persona_for(spec) -> str:  # type: ignore[no-untyped-def]
    """Someone the URL opens for, so the page itself is rendered, not only a refusal."""
    allowed = getattr(spec, "allowed", frozenset())
    if spec.category == walk.PUBLIC:
        return ""
    if spec.category == getattr(walk, "LEADERS", None):
        return "leader"
    if spec.category == walk.ADMIN:
        return "administrator"
    for persona in ("worker", "leader", "client_self", *sorted(allowed)):
        if spec.category != walk.CLIENT_DATA or persona in allowed:
            return persona
    return "worker"


def assert_security_headers(response) -> None:  # type: ignore[no-untyped-def]
    assert "no-store" in response["Cache-Control"]
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "Content-Security-Policy-Report-Only" not in response
    policy = response["Content-Security-Policy"]
    if response.get("Content-Type", "").startswith("application/pdf"):
        assert policy == PDF_POLICY
        return
    assert response.get("X-Frame-Options") in {"DENY", None}  # not on every redirect
    parts = [part.strip().split(" ", 1) for part in policy.split(";") if part.strip()]
    directives = {part[0]: part[1] if len(part) > 1 else "" for part in parts}
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    assert "unsafe" not in policy


@pytest.mark.parametrize("url_name", sorted(walk.URLS))
def test_every_url_sends_the_security_headers(url_name, objects, personas):
    spec = walk.URLS[url_name]
    args = [objects[spec.args].pk] if spec.args else []
    data = {k: personas[v].pk if v in personas else v for k, v in spec.data.items()}
    try:
        url = reverse(url_name, args=args)
    except NoReverseMatch:  # a public URL with a token of its own (the one-time link)
        url = reverse(url_name, args=["no-such-token"])
    persona = persona_for(spec)
    for client in (Client(), client_for(personas[persona]) if persona else None):
        if client is None:
            continue
        response = getattr(client, spec.method)(url, data)
        assert_security_headers(response)


def test_the_login_page_and_the_admin_send_them_too(client, administrator):
    assert_security_headers(client.get(reverse("login")))
    assert_security_headers(client.get(reverse("portal:login")))
    assert_security_headers(client_for(administrator).get(reverse("admin:index")))
    assert_security_headers(client.get("/no-such-page/"))


def test_pages_load_nothing_inline():
    """The templates hold no inline script, style element or style attribute, and no
    event handler attribute, which the policy would block (the plan's PDF is WeasyPrint's
    and never a page, so its <style> stays)."""
    import re

    found = []
    for template in sorted(settings.BASE_DIR.glob("tillit/**/templates/**/*.html")):
        if template.name == "pdf.html":
            continue
        text = template.read_text()
        for pattern in (r"<script(?![^>]*\bsrc=)", r"<style", r"\sstyle=", r"\son[a-z]+="):
            if re.search(pattern, text):
                found.append(f"{template.relative_to(settings.BASE_DIR)}: {pattern}")
    assert found == []


def test_the_policy_built_once_is_django_csps(client):
    """tillit.lib.middleware.ContentSecurityPolicy sends what django-csp would build."""
    from csp.utils import build_policy

    assert client.get(reverse("login"))["Content-Security-Policy"] == build_policy()
