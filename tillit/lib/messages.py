"""Compile the .po catalogues to .mo with polib, so a fresh machine needs no GNU gettext.

Usage: python -m tillit.lib.messages   (writes every .mo beside its .po)

The project's catalogue is tillit/locale/; an app may keep its own in tillit/<app>/locale/
(Django reads both), so work on different apps does not meet in one file.
"""

from __future__ import annotations

from pathlib import Path

import polib

TILLIT = Path(__file__).resolve().parent.parent


def catalogues() -> list[Path]:
    return sorted(
        [*TILLIT.glob("locale/*/LC_MESSAGES/*.po"), *TILLIT.glob("*/locale/*/LC_MESSAGES/*.po")]
    )


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(TILLIT.parent)}")
