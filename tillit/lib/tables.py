"""Tables that leave Tillit as files: CSV safe to open in a spreadsheet, and the rule that
keeps small groups out of published figures."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence

from django.http import HttpResponse

# A cell a spreadsheet would read as a formula (CSV injection): =, +, -, @, tab, CR.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SMALLEST_CELL = 5


def safe_cell(value: object) -> object:
    """`value` as a spreadsheet shows it but never runs it: text that starts like a
    formula gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return "" if value is None else value


def csv_response(filename: str, header: Sequence[object], rows: Iterable[Sequence[object]]):
    """A CSV download: UTF-8 with a byte order mark (so spreadsheets read å, ä, ø right),
    every cell through `safe_cell`."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([safe_cell(cell) for cell in header])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return response


def shown(n: int, smallest: int = SMALLEST_CELL) -> int | None:
    """`n` if it may be published, None if the group is too small to show (n < 5 by
    default): a cell that small could point out a person."""
    return n if n >= smallest else None
