"""Dates: the checks of dates a user types, shared by the apps' forms, and calendar
months added to a day (a decision's three months, a follow-up's six)."""

from __future__ import annotations

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def not_in_future(value: datetime.date) -> None:
    """A form field's validator for a date something already happened on (answers given,
    a meeting held): not after today, in the server's time zone."""
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later (earlier if negative), or that month's
    last day if it is shorter: 31 August and six months is 28 or 29 February."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )
