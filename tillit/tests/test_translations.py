"""The compiled catalogues are committed (so `make demo` needs no GNU gettext) and must
say exactly what the .po files say; every message is translated."""

import polib
import pytest

from tillit.lib.messages import catalogues

CATALOGUES = catalogues()


def test_both_languages_have_a_catalogue():
    assert {path.parts[-3] for path in CATALOGUES} == {"sv", "nb"}


def catalogue_id(path):
    return "/".join(path.parts[-5:-2])


@pytest.mark.parametrize("po_path", CATALOGUES, ids=catalogue_id)
def test_compiled_catalogue_matches_po(po_path):
    assert po_path.with_suffix(".mo").exists(), "run `make compile-messages`"
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    expected = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in po.translated_entries()}
    compiled = {(e.msgctxt, e.msgid): (e.msgstr, e.msgstr_plural) for e in mo if e.msgid}
    assert compiled == expected, "run `make compile-messages`"


@pytest.mark.parametrize("po_path", CATALOGUES, ids=catalogue_id)
def test_every_message_is_translated(po_path):
    po = polib.pofile(str(po_path))
    missing = [e.msgid for e in po if not e.obsolete and (not e.translated() or e.fuzzy)]
    assert missing == []
