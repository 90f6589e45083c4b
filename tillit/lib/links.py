"""One-time links for a client's phone (a check after a meeting, a follow-up after
closing): a random token shown once, only its hash stored, used once, until it expires."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from typing import Self

from django.conf import settings
from django.db import models
from django.utils import timezone


class OneTimeLink(models.Model):
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    @classmethod
    def issue(cls, *, lasts: datetime.timedelta, **fields: object) -> tuple[Self, str]:
        """A new link with `fields`, working for `lasts`, and its token (never stored)."""
        token = secrets.token_urlsafe(24)
        link = cls.objects.create(  # type: ignore[attr-defined]
            token_hash=cls.hash(token), expires_at=timezone.now() + lasts, **fields
        )
        return link, token

    @classmethod
    def usable(cls, token: str) -> models.QuerySet[Self]:
        """The unused, unexpired link for `token`, locked for this transaction (the
        caller narrows it and takes `.first()`): None for anything else, whatever the
        reason, so a wrong, used or expired token looks the same."""
        return cls.objects.select_for_update().filter(  # type: ignore[attr-defined]
            token_hash=cls.hash(token), used_at__isnull=True, expires_at__gt=timezone.now()
        )
