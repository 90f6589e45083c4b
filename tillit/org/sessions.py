"""Sessions in the database, each row naming the user it is signed in as.

SESSION_ENGINE = "tillit.org.sessions": Django's database sessions, in `org.Session`,
whose `user` column is set whenever the session is saved. So a user's sessions can be
listed and ended (a staff member's other sessions on "Your sessions", an administrator
ending all of a user's sessions when someone leaves or a laptop is stolen) without
decoding every row.

What the list shows of a session is in its data: when it logged in and was last seen
(tillit.org.middleware), and the browser and address it logged in from, as a short
summary (middleware.FROM), never the whole user-agent string.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.utils import timezone
from django.utils.crypto import salted_hmac

from tillit.org.middleware import FROM, SEEN, STARTED
from tillit.org.models import Session, User


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict) -> Session:
        session = cast(Session, super().create_model_instance(data))
        user_id = data.get(SESSION_KEY)
        session.user_id = User._meta.pk.to_python(user_id) if user_id else None
        return session


def reference(session_key: str) -> str:
    """A session's name on the page and in the form that ends it: a keyed hash, since the
    key itself is the login."""
    return salted_hmac("tillit.org.sessions", session_key).hexdigest()[:24]


def _when(seconds: object) -> datetime.datetime | None:
    if not isinstance(seconds, int):
        return None
    return datetime.datetime.fromtimestamp(seconds, tz=datetime.UTC)


@dataclass
class Signed:
    """One of a user's sessions, as "Your sessions" shows it."""

    key: str
    reference: str
    started: datetime.datetime | None
    seen: datetime.datetime | None
    browser: str
    address: str
    current: bool


def sessions_of(user: User, current_key: str | None) -> list[Signed]:
    """The user's sessions that have not expired, this one first, then the latest seen."""
    found = []
    store = SessionStore()
    rows = Session.objects.filter(user=user, expire_date__gt=timezone.now())
    for row in rows:
        data = store.decode(row.session_data)
        if str(data.get(SESSION_KEY)) != str(user.pk):
            continue
        browser, address = [*(data.get(FROM) or []), "", ""][:2]
        found.append(
            Signed(
                key=row.session_key,
                reference=reference(row.session_key),
                started=_when(data.get(STARTED)),
                seen=_when(data.get(SEEN)),
                browser=browser or "",
                address=address or "",
                current=row.session_key == current_key,
            )
        )
    epoch = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    found.sort(key=lambda s: (not s.current, -(s.seen or s.started or epoch).timestamp()))
    return found
