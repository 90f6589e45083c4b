"""Sessions in the database, each row naming the user it is signed in as.

SESSION_ENGINE = "tillit.org.sessions": Django's database sessions, in `org.Session`,
whose `user` column is set whenever the session is saved. So a user's sessions can be
listed and ended (a staff member's other sessions, an administrator ending all of a
user's sessions when someone leaves or a laptop is stolen) without decoding every row.
"""

from __future__ import annotations

from typing import cast

from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore as DBStore

from tillit.org.models import Session, User


class SessionStore(DBStore):
    @classmethod
    def get_model_class(cls) -> type[Session]:
        return Session

    def create_model_instance(self, data: dict) -> Session:
        session = cast(Session, super().create_model_instance(data))
        user_id = data.get(SESSION_KEY)
        session.user_id = User._meta.pk.to_python(user_id) if user_id else None  # type: ignore[union-attr]
        return session
