"""Checks of dates a user types, shared by the apps' forms."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def not_in_future(value: datetime.date) -> None:
    """A form field's validator for a date something already happened on (answers given,
    a meeting held): not after today, in the server's time zone."""
    if value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
