"""Sessions in the database, read with their user and the user's roles in one query.

SESSION_ENGINE = "tillit.org.sessions". Every signed-in request reads its session and
then its user, two round trips to the database before the view starts; here they are one.
The session's row names its user (`org.Session.user`, set whenever the session is saved),
and reading the session reads the user with their roles (a join per role). The user is
handed to the authentication backend (org.backends.UserWithRoles), which gives it to
Django's `auth.get_user`: Django still checks the session's auth hash against the user, as
for any backend. A session without a user (before login) reads as Django's own.
"""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation
from django.utils import timezone

from tillit.org.models import Session, User, roles_of, with_roles

# The user read with this thread's session, for the backend to take (once).
_session_user: ContextVar[User | None] = ContextVar("session_user", default=None)


def take_session_user(user_id: int) -> User | None:
    """The user read with the session, if it is `user_id`; handed over once."""
    user = _session_user.get()
    _session_user.set(None)
    return user if user is not None and user.pk == user_id else None


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def _get_session_from_db(self) -> Session | None:
        _session_user.set(None)
        try:
            rows = list(
                Session.objects.filter(session_key=self.session_key, expire_date__gt=timezone.now())
                .select_related("user")
                .annotate(**with_roles("user__"))
            )
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            rows = []
        if not rows:
            self._session_key = None
            return None
        session = rows[0]
        if session.user is not None:
            session.user.remember_roles(roles_of(rows))
            _session_user.set(session.user)
        return session

    def create_model_instance(self, data: dict) -> Session:
        session = cast(Session, super().create_model_instance(data))
        user_id = data.get(SESSION_KEY)
        session.user_id = User._meta.pk.to_python(user_id) if user_id else None  # type: ignore[union-attr]
        return session
