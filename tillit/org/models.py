from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    WORKER = "worker", _("Worker")
    TEAM_LEADER = "team_leader", _("Team leader")
    MANAGER = "manager", _("Manager")
    EVALUATOR = "evaluator", _("Evaluator")
    ADMINISTRATOR = "administrator", _("Administrator")


LEADER_ROLES = (Role.TEAM_LEADER, Role.MANAGER)


class Unit(models.Model):
    """A part of the social services: intake, an assessment group, an outpatient team."""

    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    does_intake = models.BooleanField(_("intake"), default=False)
    does_assessment = models.BooleanField(_("assessment"), default=False)
    does_intervention = models.BooleanField(_("intervention"), default=False)
    does_follow_up = models.BooleanField(_("follow-up"), default=False)

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def functions(self) -> list[str]:
        flags = [
            (self.does_intake, _("intake")),
            (self.does_assessment, _("assessment")),
            (self.does_intervention, _("intervention")),
            (self.does_follow_up, _("follow-up")),
        ]
        return [str(label) for on, label in flags if on]


def units_below(unit_ids: set[int]) -> set[int]:
    """The units `unit_ids` with every unit below them in the tree (one query)."""
    if not unit_ids:
        return set()
    children: dict[int | None, list[int]] = {}
    for pk, parent in Unit.objects.order_by().values_list("pk", "parent_id"):
        children.setdefault(parent, []).append(pk)
    found: set[int] = set()
    todo = list(unit_ids)
    while todo:
        pk = todo.pop()
        if pk not in found:
            found.add(pk)
            todo.extend(children.get(pk, []))
    return found


class User(AbstractUser):
    """A member of staff, or a client with a portal account (`is_client`). Staff roles are
    held per unit, through Membership; a client has none and sees only the portal."""

    is_client = models.BooleanField(default=False, db_default=False, editable=False)

    class Meta:
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        ordering = ["first_name", "last_name"]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    def unit_ids(self, *roles: str) -> set[int]:
        """Ids of the units where the user holds any of `roles` (any role if none given).

        Read once per request: with the user of a session (org.backends.UserWithRoles),
        or here on first use for a user read any other way.
        """
        cache = self.__dict__.get("_unit_ids")
        if cache is None:
            cache = {}
            for unit_id, role in self.memberships.values_list("unit_id", "role"):
                cache.setdefault(role, set()).add(unit_id)
            self.remember_roles(cache)
        wanted = roles or tuple(cache)
        return set().union(*(cache.get(role, set()) for role in wanted))

    def remember_roles(self, roles: dict[str, set[int]]) -> None:
        """Units per role, as read with the user (see unit_ids)."""
        self.__dict__["_unit_ids"] = roles

    @property
    def is_leader(self) -> bool:
        return bool(self.unit_ids(*LEADER_ROLES))


def with_roles(user_path: str = "") -> dict[str, F]:
    """Annotations that read a user's roles with the user, a row per role (or one row with
    none): `user_path` leads from the queried model to the user. See roles_of."""
    return {
        "role_unit_id": F(f"{user_path}memberships__unit_id"),
        "role_name": F(f"{user_path}memberships__role"),
    }


def roles_of(rows: list) -> dict[str, set[int]]:
    """The units per role in `rows` read with `with_roles`."""
    roles: dict[str, set[int]] = {}
    for row in rows:
        if row.role_name is not None:
            roles.setdefault(row.role_name, set()).add(row.role_unit_id)
    return roles


class Membership(models.Model):
    """A staff member's role in a unit. One person may hold several."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", db_index=False
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("role in unit")
        verbose_name_plural = _("roles in units")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="unique_membership")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit}"


class Method(models.Model):
    """A method of work that the services implement (BaM, MI, CRA, family group
    conference). Names are data, in each language, so an administrator can add one."""

    key = models.SlugField(_("short key"), max_length=30, unique=True)
    name = models.CharField(_("name in English"), max_length=120)
    name_sv = models.CharField(_("name in Swedish"), max_length=120, blank=True)
    name_nb = models.CharField(_("name in Norwegian Bokmål"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("method")
        verbose_name_plural = _("methods")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        language = (get_language() or "en").split("-")[0]
        return getattr(self, f"name_{language}", "") or self.name


class Training(models.Model):
    """A staff member's training in a method."""

    staff = models.ForeignKey(
        User, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="trainings"
    )
    method = models.ForeignKey(
        Method, verbose_name=_("method"), on_delete=models.PROTECT, related_name="trainings"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-date"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="training_has_hours")]

    def __str__(self) -> str:
        return f"{self.staff} · {self.method} · {self.date}"


class Supervision(models.Model):
    """A supervision session (handledning / veiledning) on a method. No client data."""

    date = models.DateField(_("date"))
    supervisor = models.ForeignKey(
        User,
        verbose_name=_("supervisor"),
        on_delete=models.PROTECT,
        related_name="supervisions_given",
    )
    participants = models.ManyToManyField(
        User, verbose_name=_("participants"), related_name="supervisions"
    )
    method = models.ForeignKey(
        Method,
        verbose_name=_("method discussed"),
        on_delete=models.PROTECT,
        related_name="supervisions",
    )
    notes = models.TextField(
        _("notes"), blank=True, help_text=_("About the method and the work; no client data.")
    )

    class Meta:
        verbose_name = _("supervision")
        verbose_name_plural = _("supervisions")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.method} · {self.date}"


class Session(AbstractBaseSession):
    """Django's database session, with the user it is signed in as in a column of its own,
    so that a request reads its session, its user and their roles in one query
    (tillit.org.sessions). The session data stays the truth for Django's login checks."""

    user = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE)

    @classmethod
    def get_session_store_class(cls):
        from tillit.org.sessions import SessionStore

        return SessionStore
