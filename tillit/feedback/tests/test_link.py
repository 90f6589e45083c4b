"""The one-time link for the client's phone is shown once with its QR code, drawn on the
server (no request leaves Tillit), and a field to copy it from; the page is never stored."""

import re

import segno
from django.urls import reverse

from tillit.conftest import client_for
from tillit.feedback.services import instruments_load


def test_the_link_comes_with_its_qr_code_and_is_not_stored(worker, entry):
    instruments_load()
    client = client_for(worker)
    client.cookies["django_language"] = "sv"

    response = client.post(
        reverse("feedback:meeting", args=[entry.pk]), {"when": "after", "how": "link"}
    )

    page = response.content.decode()
    link = response.context["link_url"]
    assert re.fullmatch(r"http://testserver/feedback/l/[\w-]+/", link)
    assert f'value="{link}" readonly' in page
    drawn = re.search(r'<svg viewBox="[\d ]+" class="qr">.*?</svg>', page, re.S)
    assert drawn is not None
    expected = re.search(r' d="([^"]+)"/></svg>', segno.make(link, error="m").svg_inline())
    assert expected is not None and expected[1] in drawn[0]  # the code is this link
    assert "<title>QR-kod för länken, för klientens mobilkamera</title>" in drawn.group(0)
    assert "Kopiera länken" in page and "copy.js" in page
    assert "no-store" in response["Cache-Control"]


def test_no_qr_code_before_a_link_is_made(worker, entry):
    instruments_load()
    page = client_for(worker).get(reverse("feedback:meeting", args=[entry.pk])).content.decode()
    assert 'class="qr"' not in page and "copy.js" not in page
