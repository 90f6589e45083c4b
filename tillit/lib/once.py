"""A form that creates a row makes one row, however often it is sent: a double click, a
second press while the network is slow, a page sent again from the browser's history.

The form carries a `Submission` field, a random key drawn when the form is shown. The
model stores it in a column that is unique where set (`submission_unique`), so the
database decides: the first request inserts, any other with the same key finds the row
the first one made and answers with that (`create_once`). A new form draws a new key.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import Q

M = TypeVar("M", bound=models.Model)


class SubmissionField(forms.UUIDField):
    """The hidden key of one showing of a form; optional, so an old page still saves."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs) -> None:
        super().__init__(required=False, initial=uuid.uuid4, **kwargs)


def submission_column() -> models.UUIDField:
    return models.UUIDField(null=True, blank=True, editable=False)


def submission_unique(model_name: str) -> models.UniqueConstraint:
    """Unique where set: a partial index, as most rows are written without a form."""
    return models.UniqueConstraint(
        fields=["submission"],
        condition=Q(submission__isnull=False),
        name=f"{model_name}_submission_once",
    )


def create_once(
    model: type[M], submission: uuid.UUID | None, create: Callable[[], M], **scope: object
) -> tuple[M, bool]:
    """`create()` the row unless one with `submission` is already stored; returns the row
    and whether this call made it. `create` must set `submission` on the row it saves.
    `scope` (e.g. the author) must match the stored row too: a key is no way into
    another's row."""
    if submission is None:
        return create(), True
    mine = model._default_manager.filter(submission=submission, **scope)
    stored = mine.first()
    if stored is not None:
        return stored, False
    try:
        with transaction.atomic():
            return create(), True
    except IntegrityError:
        # Sent twice at once: the other request's insert won. Any other integrity error
        # is not ours to hide.
        stored = mine.first()
        if stored is None:
            raise
        return stored, False
