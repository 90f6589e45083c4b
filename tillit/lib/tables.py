"""Tables that leave Tillit as files: CSV and Excel (XLSX) safe to open in a spreadsheet, and
the rule that keeps small groups out of published figures."""

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


def xlsx_response(
    filename: str, sheets: Iterable[tuple[str, Sequence[object], Iterable[Sequence[object]]]]
):
    """An Excel workbook (openpyxl) of one sheet per (title, header, rows), every cell
    through `safe_cell` and written as the value it is: a text is always a text, never a
    formula, whatever it starts with (openpyxl would store a text starting with "=" as a
    formula). Characters XML cannot hold are left out."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook(write_only=True)
    used: set[str] = set()
    for title, header, rows in sheets:
        sheet = book.create_sheet(_sheet_title(title, used))
        for row in [header, *rows]:
            cells = []
            for value in row:
                value = safe_cell(value)
                if isinstance(value, str):
                    cell = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
                    cell.data_type = "s"  # set after the value: openpyxl guesses "f" for "="
                else:
                    cell = WriteOnlyCell(sheet, value)
                cells.append(cell)
            sheet.append(cells)
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    book.save(response)
    return response


def _sheet_title(title: str, used: set[str]) -> str:
    """A sheet's name as Excel allows it: at most 31 characters, none of []:*?/ and no
    backslash, unique."""
    base = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()[:31] or "Sheet"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[: 31 - len(str(n)) - 1]} {n}"
    used.add(name.lower())
    return name


def shown(n: int, smallest: int = SMALLEST_CELL) -> int | None:
    """`n` if it may be published, None if the group is too small to show (n < 5 by
    default): a cell that small could point out a person."""
    return n if n >= smallest else None
