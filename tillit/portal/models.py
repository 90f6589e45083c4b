"""The client's own access: an account tied to one person, the one-time code that opens
it, the journal entries released to the client, and the client's comments on them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import JournalEntry, Person


def code_characters(code: str) -> str:
    """A code as typed, in any case and grouping (dashes, spaces or none): its letters and
    digits only."""
    return "".join(ch for ch in code.upper() if ch.isascii() and ch.isalnum())


def digest(code: str) -> str:
    """Only a hash of a code is stored; the code itself is printed once, for the client."""
    return hashlib.sha256(code_characters(code).encode()).hexdigest()


class ClientAccount(models.Model):
    """A client's login. The user is marked `is_client`, which keeps them in the portal."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="client_account"
    )
    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="account")
    activated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("client account")
        verbose_name_plural = _("client accounts")

    def __str__(self) -> str:
        return str(self.person)


class ActivationCode(models.Model):
    """A one-time code a worker prints for the client, who uses it to set a password."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.person_id} {self.created_at:%Y-%m-%d}"


class Release(models.Model):
    """A signed journal entry released to the client to read. Kept apart from the entry,
    which once signed is never changed."""

    entry = models.OneToOneField(JournalEntry, on_delete=models.PROTECT, related_name="release")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.entry_id} {self.released_at:%Y-%m-%d}"


class ClientComment(models.Model):
    """The client's own words on a released entry ("this is not how I see it"), kept with
    the entry and shown to the worker."""

    entry = models.ForeignKey(
        JournalEntry, on_delete=models.PROTECT, related_name="client_comments"
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("your comment"), max_length=4000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.entry_id} {self.created_at:%Y-%m-%d}"
