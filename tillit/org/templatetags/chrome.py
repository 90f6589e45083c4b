"""The parts of every page that depend only on the language and the user's roles: the
main navigation and the language menu. Each is rendered once per process for each such
combination and reused, instead of reversing a dozen URLs and switching the language
three times on every page. (A change to org/main_nav.html shows after a restart.)"""

from __future__ import annotations

from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString

from tillit.org.models import LEADER_ROLES, Role, Unit, User

register = template.Library()


@register.simple_tag(takes_context=True)
def main_nav(context: template.Context) -> SafeString:
    """The staff navigation for the signed-in user. The roles come with the user
    (org.backends.UserWithRoles), read afresh on every request."""
    user = context["user"]
    return _main_nav(
        translation.get_language(),
        _led_units(user),
        bool(user.unit_ids(Role.WORKER)),
        bool(user.unit_ids(*LEADER_ROLES)),
        bool(user.unit_ids(Role.EVALUATOR)),
        user.is_staff,
    )


def _led_units(user: User) -> tuple[tuple[int, str], ...]:
    """The units the user leads as team leader, each with its name when there are several
    to tell apart (one query, only then); one is "My unit"."""
    led = user.unit_ids(Role.TEAM_LEADER)
    if len(led) < 2:
        return tuple((pk, "") for pk in led)
    return tuple(Unit.objects.filter(pk__in=led).order_by("name").values_list("pk", "name"))


@lru_cache(maxsize=256)
def _main_nav(
    language: str,
    led_units: tuple[tuple[int, str], ...],
    is_worker: bool,
    leads: bool,
    evaluates: bool,
    is_staff: bool,
) -> SafeString:
    """Links to what the roles open, and nothing else: finding clients for those who work
    with them; each unit page a team leader may open, its family group conferences, and
    log review; methods and figures for team leaders and managers (staff data, no
    client); extracts for evaluators and those who approve them; emergency access for
    those who work with clients (the roles in docs/architecture.md)."""
    with translation.override(language):
        return render_to_string(
            "org/main_nav.html",
            {
                "led_units": led_units,
                "is_worker": is_worker,
                "leads": leads,
                "evaluates": evaluates,
                "is_staff": is_staff,
            },
        )


@register.simple_tag
def language_choices() -> list[tuple[str, str]]:
    """Each language the system speaks, named in itself."""
    return _language_choices()


@lru_cache(maxsize=1)
def _language_choices() -> list[tuple[str, str]]:
    choices = []
    for code, name in settings.LANGUAGES:
        with translation.override(code):
            choices.append((code, str(name)))
    return choices
