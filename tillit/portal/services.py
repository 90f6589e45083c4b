"""Writes of the portal: activation codes, accounts, releases and the client's comments."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.clients.models import JournalEntry, Person
from tillit.org.models import User
from tillit.portal.models import ActivationCode, ClientAccount, ClientComment, Release, digest

CODE_DAYS = 14
# No 0/O or 1/I/L: the code is read off paper and typed on a phone.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def activation_code_create(*, actor: User, person: Person) -> tuple[ActivationCode, str]:
    """A new one-time code for `person`, valid for CODE_DAYS days. Earlier unused codes
    stop working. Returns the row and the code, which is never stored."""
    now = timezone.now()
    ActivationCode.objects.filter(person=person, used_at__isnull=True).update(expires_at=now)
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    code = "-".join(raw[i : i + 4] for i in range(0, 12, 4))
    row = ActivationCode.objects.create(
        person=person,
        digest=digest(code),
        created_by=actor,
        expires_at=now + datetime.timedelta(days=CODE_DAYS),
    )
    return row, code


def account_activate(*, code: str, username: str, password: str) -> User:
    """Open (or reopen, with a new password) the portal account of the code's person."""
    now = timezone.now()
    row = (
        ActivationCode.objects.select_for_update()
        .select_related("person")
        .filter(digest=digest(code), used_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if row is None:
        raise ValidationError(
            _(
                "This code does not work. It may be used or too old: ask your contact "
                "person for a new one."
            ),
            code="code",
        )
    person = row.person
    account = ClientAccount.objects.select_related("user").filter(person=person).first()
    taken = User.objects.filter(username__iexact=username)
    if account:
        taken = taken.exclude(pk=account.user_id)
    if taken.exists():
        raise ValidationError(_("That user name is taken. Choose another."), code="username")
    if account:
        user = account.user
        user.username = username
        user.set_password(password)
        user.save()
    else:
        user = account_create(person=person, username=username, password=password)
    row.used_at = now
    row.save(update_fields=["used_at"])
    return user


def account_create(*, person: Person, username: str, password: str | None = None) -> User:
    """A portal login for `person` without a code (demo data and tests; clients activate
    their own with a code)."""
    user = User(
        username=username, first_name=person.first_name, last_name=person.last_name, is_client=True
    )
    user.set_password(password)
    user.save()
    ClientAccount.objects.create(user=user, person=person)
    return user


def entry_release(*, actor: User, entry: JournalEntry) -> Release:
    """Let the client read a signed entry in the portal."""
    if not entry.is_signed:
        raise ValidationError(_("Only a signed entry can be shared with the client."))
    release, _created = Release.objects.get_or_create(entry=entry, defaults={"released_by": actor})
    return release


def comment_add(*, person: Person, entry: JournalEntry, text: str) -> ClientComment:
    return ClientComment.objects.create(person=person, entry=entry, text=text.strip())
