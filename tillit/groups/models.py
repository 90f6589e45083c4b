"""Group work (gruppverksamhet / gruppetilbud): groups of a unit, their members over time,
sessions with attendance, and the agreements the members write themselves.

A group page shows several clients' names; who may open it is decided in
`tillit.clients.access.get_group_for` (see docs/architecture.md).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class GroupKind(models.TextChoices):
    MAINTENANCE = "maintenance", _("Maintenance-treatment group")
    ALCOHOL = "alcohol", _("Alcohol group")
    DROP_IN = "drop_in", _("Open drop-in")
    OTHER = "other", _("Other")


class Group(models.Model):
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="groups"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=GroupKind.choices)
    started_on = models.DateField(_("started"), default=datetime.date.today)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    # Set by the access helper: the current members the user may see (not stored).
    visible_members: list[GroupMember]

    class Meta:
        verbose_name = _("group")
        verbose_name_plural = _("groups")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class GroupMember(models.Model):
    """A client in a group from one date to another; leaving keeps the row."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="members")
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="group_memberships"
    )
    joined_on = models.DateField(_("joined"), default=datetime.date.today)
    left_on = models.DateField(_("left"), null=True, blank=True)

    class Meta:
        ordering = ["person__last_name", "person__first_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "person"],
                condition=Q(left_on__isnull=True),
                name="one_current_group_membership",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="group_member_leaves_after_joining",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.group}"


class Session(models.Model):
    """A group's meeting on one day: one per group and day, so that two workers (or a
    double click) recording the same session make one, not two with split attendance."""

    group = models.ForeignKey(
        Group, on_delete=models.PROTECT, related_name="sessions", db_index=False
    )
    held_on = models.DateField(_("date"))
    theme = models.CharField(_("theme"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-held_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["group", "held_on"], name="one_session_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.group} · {self.held_on}"


class Attendance(models.Model):
    session = models.ForeignKey(
        Session, on_delete=models.PROTECT, related_name="attendance", db_index=False
    )
    member = models.ForeignKey(GroupMember, on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField(_("present"))
    # The member's journal entry for this session, made when their group check is asked
    # for: feedback answers belong to a meeting in a case (tillit/feedback).
    entry = models.OneToOneField(
        "clients.JournalEntry",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="group_attendance",
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.session.held_on}"


class Agreement(models.Model):
    """The group's own agreement, in the members' words, with who wrote it."""

    group = models.ForeignKey(Group, on_delete=models.PROTECT, related_name="agreements")
    text = models.TextField(_("the agreement, in the group's words"))
    written_by = models.CharField(_("who wrote it"), max_length=200)
    written_on = models.DateField(_("date"), default=datetime.date.today)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["written_on", "id"]

    def __str__(self) -> str:
        return self.text[:60]
