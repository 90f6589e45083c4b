from django.http import HttpRequest

from tillit.org.models import LEADER_ROLES, Role


def roles(request: HttpRequest) -> dict:
    """What the navigation needs to know about the user's roles."""
    user = request.user
    if not user.is_authenticated:
        return {}
    return {
        "nav_led_unit_ids": sorted(user.unit_ids(*LEADER_ROLES)),
        "nav_is_worker": bool(user.unit_ids(Role.WORKER)),
    }
