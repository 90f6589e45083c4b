"""Optimistic locking, one mechanism for every app: a row is saved against the revision
it was read at.

A writer reads a row at revision n and saves with n. The save is one statement,
``UPDATE … SET …, revision = n + 1 WHERE pk = … AND revision = n``, so the check and the
write hold together under concurrency on any database. No row updated means someone
else saved in between: nothing is written, and `Conflict` carries the row as it is now,
so the writer is shown both versions and chooses (`conflict_context` and the template
`conflict.html`; `tillit/static/tillit/revisions.js` in the browser). Saving exactly
what is already stored is no conflict (the same words sent twice, by an autosave and a
Save, or by two people).

Views read the revision to save against with `revision_for`: the form's hidden revision,
or, when the writer pressed "Keep mine" in a conflict, the revision they were shown.
"""

from __future__ import annotations

import datetime
import decimal
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from django import forms
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext as _

M = TypeVar("M", bound=models.Model)

#: The name of the button that saves the writer's version over the one they were shown.
OVERWRITE = "overwrite"


class Conflict(Exception):
    """Someone saved the row after this writer read it. `saved` is the row as it is now;
    `mine` what this writer tried to save (nothing of it was written)."""

    def __init__(self, saved: models.Model, mine: Mapping[str, Any], field: str = "revision"):
        super().__init__("saved by someone else since it was read")
        self.saved = saved
        self.mine = dict(mine)
        self.revision: int = getattr(saved, field)


def save_at_revision(
    obj: M,
    revision: int,
    values: Mapping[str, Any],
    *,
    also: Mapping[str, Any] | None = None,
    field: str = "revision",
) -> M:
    """Write `values` (and `also`: bookkeeping such as a time or who wrote it, never
    compared) to `obj`'s row if it is still at `revision`; returns `obj` with them set
    and the next revision. If the row has moved on and holds other values, raise
    `Conflict`; if it holds these values already, return the stored row. A row that is
    gone raises the model's DoesNotExist.

    `obj` is the row as this request loaded it: saving what it already holds at the
    revision it has writes nothing."""
    model = type(obj)
    if getattr(obj, field) == revision and _same(obj, values):
        return obj
    written = {**values, **(also or {})}
    updated = model._default_manager.filter(pk=obj.pk, **{field: revision}).update(
        **written, **{field: revision + 1}
    )
    if updated:
        for name, value in written.items():
            setattr(obj, name, value)
        setattr(obj, field, revision + 1)
        return obj
    stored = model._default_manager.filter(pk=obj.pk).first()
    if stored is None:
        raise model.DoesNotExist(f"{model.__name__} {obj.pk} is gone")  # type: ignore[attr-defined]
    if _same(stored, values):
        return stored
    raise Conflict(stored, values, field)


def _same(obj: models.Model, values: Mapping[str, Any]) -> bool:
    return all(_raw(getattr(obj, name)) == _raw(value) for name, value in values.items())


def _raw(value: Any) -> str:
    """A value as a form field holds it, for comparing and for "take the saved one"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "on" if value else ""
    if isinstance(value, models.Model):
        return str(value.pk)
    if isinstance(value, datetime.datetime):
        # As a datetime-local input holds it, in the reader's time zone, to the minute.
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return local.strftime("%Y-%m-%dT%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float | decimal.Decimal):
        return format(decimal.Decimal(str(value)).normalize(), "f")
    if isinstance(value, dict | list):
        # JSON as PostgreSQL's jsonb gives it back, keys in its own order.
        return json.dumps(value, sort_keys=True, default=str)
    return str(value).replace("\r\n", "\n")


def revision_for(form: forms.BaseForm, data: Mapping[str, Any], name: str = "revision") -> int:
    """The revision a valid `form` saves against: the one its writer chose to overwrite
    in a conflict ("Keep mine" posts it), else the one the form was read at."""
    chosen = data.get(form.add_prefix(OVERWRITE), "")
    if str(chosen).isdigit():
        return int(chosen)
    return int(form.cleaned_data.get(name) or 0)


@dataclass
class Difference:
    name: str  # the field's name in the form (with its prefix)
    label: str
    saved: str  # as shown
    yours: str
    saved_value: str  # as the form field holds it


def conflict_context(
    conflict: Conflict,
    form: forms.BaseForm,
    stored: Mapping[str, Any] | None = None,
    *,
    heading: str = "",
    key: str | int = "",
    reload: str = "",
) -> dict[str, Any]:
    """What `conflict.html` shows: per field that differs, the saved version beside the
    writer's own, with the labels of the form, in the reader's language.

    `stored` maps the form's field names to the saved values (by default the saved
    row's attributes of the same names); `key` says which form on the page it belongs
    to; `reload` is where "Take the saved version" goes without JavaScript."""
    if stored is None:
        stored = {name: getattr(conflict.saved, name) for name in conflict.mine}
    cleaned = getattr(form, "cleaned_data", {})
    differences = []
    for name, value in stored.items():
        field = form.fields[name]
        posted = form.data.get(form.add_prefix(name), "")
        yours = cleaned.get(name, posted)
        if _raw(value) == _raw(yours):
            continue
        differences.append(
            Difference(
                name=form.add_prefix(name),
                label=str(field.label or name),
                saved=_shown(field, value),
                yours=_shown(field, yours),
                saved_value=_raw(value),
            )
        )
    revision_field = form["revision"] if "revision" in form.fields else None
    return {
        "key": key,
        "heading": heading or _("Someone else saved this while you were writing."),
        "differences": differences,
        "revision": conflict.revision,
        "overwrite_name": form.add_prefix(OVERWRITE),
        "revision_id": revision_field.field.widget.attrs.get("id") or revision_field.auto_id
        if revision_field is not None
        else "",
        "reload": reload,
    }


def _shown(field: forms.Field, value: Any) -> str:
    if value is None or value == "":
        return _("(empty)")
    choices = getattr(field, "choices", None)
    if choices:
        labels = {_raw(k): v for k, v in choices}
        if _raw(value) in labels:
            return str(labels[_raw(value)])
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return formats.date_format(local, "SHORT_DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, float | decimal.Decimal):
        return _raw(value)
    return str(value)
