"""Personal identity numbers: Swedish personnummer/samordningsnummer and Norwegian
fødselsnummer/D-nummer, checked with python-stdnum and stored in one canonical form."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum import luhn
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidFormat, InvalidLength
from stdnum.no import fodselsnummer
from stdnum.se import personnummer

SWEDEN = "se"
NORWAY = "no"

MESSAGES = {
    "required": _("Give the identity number, or choose that the client has none."),
    "letters": _(
        "An identity number may contain only digits (and a dash or plus in a Swedish number)."
    ),
    "length": _("The identity number has the wrong number of digits."),
    "date": _("The identity number does not contain a possible date of birth."),
    "checksum": _("The identity number's check digit is wrong. Please check for typing errors."),
    "future": _("The identity number's date of birth is in the future."),
}


class _Unborn(Exception):
    """A number whose date of birth is after today."""


def normalise(country: str, number: str) -> str:
    """Return the canonical form of `number`, or raise ValidationError with a clear message.

    Swedish numbers are stored with the century (YYYYMMDD-NNNN, samordningsnummer with day
    + 60); Norwegian numbers as their 11 digits (D-nummer with day + 40).
    """
    raw = number.strip().replace(" ", "")
    if not raw:
        raise ValidationError(MESSAGES["required"], code="required")
    allowed = set("0123456789-+") if country == SWEDEN else set("0123456789")
    if not raw or not set(raw) <= allowed:
        raise ValidationError(MESSAGES["letters"], code="letters")
    try:
        if country == NORWAY:
            return _norwegian(raw)
        return _swedish(raw)
    except _Unborn:
        raise ValidationError(MESSAGES["future"], code="future") from None
    except InvalidLength:
        raise ValidationError(MESSAGES["length"], code="length") from None
    except InvalidChecksum:
        raise ValidationError(MESSAGES["checksum"], code="checksum") from None
    except (InvalidComponent, InvalidFormat):
        raise ValidationError(MESSAGES["date"], code="date") from None


def _norwegian(raw: str) -> str:
    try:
        return fodselsnummer.validate(raw)
    except InvalidComponent:
        # Length and check digits are right; the date is impossible, or after today.
        if fodselsnummer.get_birth_date(raw) > datetime.date.today():
            raise _Unborn() from None
        raise


def _swedish(raw: str) -> str:
    # stdnum knows personnummer; a samordningsnummer is the same with 60 added to the day,
    # so the date is checked on the personnummer it stands for and the checksum as it is.
    if sum(ch.isdigit() for ch in raw) not in (10, 12):
        raise InvalidLength()
    number = personnummer.compact(raw)
    if len(number) not in (11, 13):
        raise InvalidFormat()
    if number[-5] not in "-+" or not (number[:-5] + number[-4:]).isdigit():
        raise InvalidFormat()
    day_at = len(number) - 7
    day = int(number[day_at : day_at + 2])
    as_personnummer = number
    if day > 60:
        as_personnummer = f"{number[:day_at]}{day - 60:02d}{number[day_at + 2 :]}"
    birth = personnummer.get_birth_date(as_personnummer)
    if birth > datetime.date.today():  # possible only with the century written out
        raise _Unborn()
    digits = (number[:-5] + number[-4:])[-10:]
    luhn.validate(digits)
    return f"{str(birth.year)[:2]}{digits[:6]}-{digits[6:]}"


def kind(country: str, number: str) -> str:
    """The kind of an already normalised number, for display."""
    if country == SWEDEN:
        return "samordningsnummer" if int(number[6:8]) > 60 else "personnummer"
    if country == NORWAY:
        return "D-nummer" if int(number[0:2]) > 40 else "fødselsnummer"
    return ""


def _luhn_digit(nine: str) -> str:
    total = 0
    for i, ch in enumerate(nine):
        product = int(ch) * (2 if i % 2 == 0 else 1)
        total += product // 10 + product % 10
    return str((10 - total % 10) % 10)


def make_swedish(yyyymmdd: str, serial: int) -> str:
    """A valid-format Swedish number for fictional demo people (serial 0-999)."""
    nine = f"{yyyymmdd[2:]}{serial:03d}"
    return f"{yyyymmdd}-{serial:03d}{_luhn_digit(nine)}"


def make_norwegian(ddmmyy: str, individual: int) -> str | None:
    """A valid-format Norwegian number (individual 0-499 for 1900s births), or None when
    the first control digit would be 10 (such numbers are not issued)."""
    w1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    w2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    base = f"{ddmmyy}{individual:03d}"
    k1 = 11 - sum(int(d) * w for d, w in zip(base, w1, strict=True)) % 11
    k1 = 0 if k1 == 11 else k1
    if k1 == 10:
        return None
    base += str(k1)
    k2 = 11 - sum(int(d) * w for d, w in zip(base, w2, strict=True)) % 11
    k2 = 0 if k2 == 11 else k2
    if k2 == 10:
        return None
    return base + str(k2)


def birth_date(country: str, number: str) -> datetime.date | None:
    """The date of birth in a normalised number (a samordningsnummer's day less 60, a
    D-nummer's less 40), or None where the number has none (no number, a Norwegian
    FH-nummer)."""
    try:
        if country == SWEDEN and len(number) == 13:
            day = int(number[6:8])
            return datetime.date(int(number[:4]), int(number[4:6]), day - 60 if day > 60 else day)
        if country == NORWAY and len(number) == 11:
            return fodselsnummer.get_birth_date(number)
    except (ValueError, InvalidComponent):
        return None
    return None


def sex(country: str, number: str) -> str:
    """ "F" or "M" as the number records it (its third-last digit in Sweden, its ninth in
    Norway: odd for men), or "" where there is no number. It is the sex registered with the
    number, not the person's gender, and Norway's numbers will stop carrying it."""
    if country == SWEDEN and len(number) == 13:
        return "M" if int(number[-2]) % 2 else "F"
    if country == NORWAY and len(number) == 11:
        return "M" if int(number[8]) % 2 else "F"
    return ""
