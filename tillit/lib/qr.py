"""QR codes drawn on the server as inline SVG, so a phone's camera can open a link shown
on the worker's screen or on a letter: no request leaves Tillit, no script draws it."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(data: str, title: str) -> SafeString:
    """`data` as a QR code: segno's own SVG of paths, with no script or style."""
    code = segno.make(data, error="m")
    return mark_safe(code.svg_inline(omitsize=True, light="#fff", title=title, svgclass="qr"))
