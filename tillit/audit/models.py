from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    READ = "read", _("Read")
    CREATE = "create", _("Create")
    UPDATE = "update", _("Update")
    SIGN = "sign", _("Sign")
    CORRECT = "correct", _("Correct")
    ASSIGN = "assign", _("Assign")
    PRINT = "print", _("Print")
    EXPORT = "export", _("Export")
    EMERGENCY = "emergency", _("Emergency access")
    REVIEW = "review", _("Mark reviewed")


class AccessLog(models.Model):
    """One row per look at or change of a client's data. Written by the access helper
    in the same transaction as the data it covers; never updated."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The ground the access stood on: "assigned", "team_leader", "emergency", "named".
    role = models.CharField(max_length=20)
    unit = models.ForeignKey("org.Unit", null=True, on_delete=models.PROTECT, related_name="+")
    person = models.ForeignKey(
        "clients.Person", null=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case = models.ForeignKey("clients.Case", null=True, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=20, choices=Action.choices)
    # Indexed only where set (Meta.indexes): nearly every row has none.
    emergency = models.ForeignKey(
        "clients.EmergencyAccess",
        null=True,
        on_delete=models.PROTECT,
        related_name="log_rows",
        db_index=False,
    )
    path = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("access log row")
        verbose_name_plural = _("access log")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["person", "-at"]),
            models.Index(fields=["user", "-at"]),
            # Serves log review's emergency filter and the PROTECT check when an emergency
            # access is deleted, without an entry for every other request's row.
            models.Index(
                fields=["emergency"],
                condition=Q(emergency__isnull=False),
                name="access_log_emergency",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.person_id}"
