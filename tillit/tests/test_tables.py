"""CSV downloads cannot carry a formula into a spreadsheet, and small groups stay out."""

from __future__ import annotations

import csv
import io

import pytest

from tillit.lib.tables import csv_response, safe_cell, shown


@pytest.mark.parametrize("text", ["=1+1", "+46", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_text_that_starts_like_a_formula_is_kept_as_text(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Malmö", "", 12, 0, -3, 1.5])
def test_other_cells_are_unchanged(value):
    assert safe_cell(value) == value


def test_a_csv_download_neutralises_every_cell():
    response = csv_response("x.csv", ["=name"], [['=HYPERLINK("http://x")', 4]])
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["'=name"], ['\'=HYPERLINK("http://x")', "4"]]
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'


def test_groups_under_five_are_not_shown():
    assert [shown(n) for n in (0, 4, 5, 20)] == [None, None, 5, 20]
