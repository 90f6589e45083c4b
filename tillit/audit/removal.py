"""The one way access log rows leave the database: retention (gallring) calls `remove`.

The database refuses every UPDATE of the access log and of the clients a row listed, and
every DELETE but one (migration audit/0008): a row may be deleted only while a tombstone
for it (`RemovedRow`, its key, day and link in the day's seal, no content) stands under an
open `Removal`. `remove` opens the removal, writes the tombstones, deletes the rows and
closes it, in one transaction, so no other connection ever sees it open, and a closed
removal can never be opened again. The removal stays, with its reason and count, and so
do the tombstones: the seals still verify (tillit/audit/chain.py), and the security log
says what went. Only rows of sealed days can go.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max

from tillit.audit import chain
from tillit.audit.models import AccessLog, Listed, Removal, RemovedRow, Seal

log = logging.getLogger("tillit.security")


class NotSealed(Exception):
    """Rows of a day not sealed yet cannot be removed: run `manage.py audit_seal`."""


def remove(log_ids: Iterable[int], *, reason: str) -> Removal:
    ids = sorted(set(log_ids))
    with transaction.atomic():
        removal = Removal.objects.create(reason=reason[:300])
        last = Seal.objects.aggregate(day=Max("day"))["day"]
        listed: dict[int, list[int]] = {}
        for log_id, person_id in Listed.objects.filter(log_id__in=ids).values_list(
            "log_id", "person_id"
        ):
            listed.setdefault(log_id, []).append(person_id)
        tombstones = []
        for row in AccessLog.objects.filter(pk__in=ids).order_by("id"):
            day = chain.day_of(row.at)
            if last is None or day > last:
                raise NotSealed(day)
            value = chain.link(row.pk, row.hash or chain.content_hash(row), listed.get(row.pk, []))
            tombstones.append(RemovedRow(log_id=row.pk, removal=removal, day=day, link=value))
        RemovedRow.objects.bulk_create(tombstones)
        # The clients they listed go with them; a sampled row leaves its verdict behind.
        _total, deleted = AccessLog.objects.filter(pk__in=ids).delete()
        count = deleted.get(AccessLog._meta.label, 0)
        removal.open = False
        removal.rows = count
        removal.save(update_fields=["open", "rows"])
    log.warning("access log rows removed: removal=%s rows=%d reason=%s", removal.pk, count, reason)
    return removal
