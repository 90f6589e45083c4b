from django.contrib.auth.backends import ModelBackend

from tillit.org.models import User, roles_of, with_roles


class UserWithRoles(ModelBackend):
    """Django's model backend, except that the user of a session is read with their roles
    in one query: every staff page asks for the roles (the navigation, the access policy),
    and they are read fresh on every request, never cached across requests, since a role
    taken away must stop opening doors at once."""

    def get_user(self, user_id: int) -> User | None:
        rows = list(User._default_manager.filter(pk=user_id).annotate(**with_roles()))
        if not rows or not self.user_can_authenticate(rows[0]):
            return None
        user = rows[0]
        user.remember_roles(roles_of(rows))
        return user
