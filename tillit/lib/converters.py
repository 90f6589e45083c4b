"""Path converters for Tillit's URLs."""

from __future__ import annotations

# The largest key a row can have: a 64-bit signed integer, on SQLite and PostgreSQL alike.
MAX_ID = 2**63 - 1


class IdConverter:
    """A row's key, `<id:pk>`: digits that fit a 64-bit key. A longer number is no key of
    any row, so it does not match (404), rather than reaching a query the database refuses
    (SQLite cannot bind it; PostgreSQL says bigint is out of range) as a 500."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > MAX_ID:
            raise ValueError(value)  # Django takes a ValueError as "no match"
        return number

    def to_url(self, value: int) -> str:
        return str(value)
