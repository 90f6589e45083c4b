"""Compile the .po catalogues to .mo with polib, so a fresh machine needs no GNU gettext.

Usage: python -m tillit.lib.messages   (writes every tillit/locale/*/LC_MESSAGES/*.mo)
"""

from __future__ import annotations

from pathlib import Path

import polib  # type: ignore[import-untyped]

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def catalogues() -> list[Path]:
    return sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))


def compile_all() -> list[Path]:
    written = []
    for po_path in catalogues():
        mo_path = po_path.with_suffix(".mo")
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        written.append(mo_path)
    return written


if __name__ == "__main__":
    for path in compile_all():
        print(f"compiled {path.relative_to(LOCALE.parent.parent)}")
