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

import functools
import logging
from contextvars import ContextVar
from typing import cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.utils import timezone

from tillit.org.models import Membership, Session, User, roles_of

# The user read with this thread's session, for the backend to take (once).
_session_user: ContextVar[User | None] = ContextVar("session_user", default=None)


@functools.cache
def _session_sql() -> str:
    """The session with its user and a row per role of theirs (none for a session before
    login): written out, where the ORM spent a third of a bare audited request's Python
    calls building and compiling the same query anew each time. Columns and tables come
    from the models; the quoting is the same on SQLite and PostgreSQL."""
    quote = connection.ops.quote_name
    users, roles = User._meta, Membership._meta
    columns = ", ".join(f"u.{quote(field.column)}" for field in users.concrete_fields)
    return (
        f"SELECT {columns}, s.session_data AS session_data_, "
        f"m.unit_id AS role_unit_id, m.role AS role_name "
        f"FROM {quote(Session._meta.db_table)} s "
        f"LEFT JOIN {quote(users.db_table)} u ON u.{quote(users.pk.column)} = s.user_id "
        f"LEFT JOIN {quote(roles.db_table)} m ON m.user_id = s.user_id "
        f"WHERE s.session_key = %s AND s.expire_date > %s"
    )


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
            rows = list(User.objects.raw(_session_sql(), [self.session_key, timezone.now()]))
        except SuspiciousOperation as error:
            logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
            rows = []
        if not rows:
            self._session_key = None
            return None
        first = rows[0]
        user = first if first.pk is not None else None  # no user before login
        if user is not None:
            user.remember_roles(roles_of(rows))
            _session_user.set(user)
        data = first.session_data_  # type: ignore[attr-defined]
        return Session(session_key=cast(str, self.session_key), session_data=data, user=user)

    def create_model_instance(self, data: dict) -> Session:
        session = cast(Session, super().create_model_instance(data))
        user_id = data.get(SESSION_KEY)
        session.user_id = User._meta.pk.to_python(user_id) if user_id else None  # type: ignore[union-attr]
        return session
