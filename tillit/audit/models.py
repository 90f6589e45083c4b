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


class Ground(models.TextChoices):
    """What an access stood on (tillit.clients.access.Grant.ground)."""

    ASSIGNED = "assigned", _("assigned to the case")
    TEAM_LEADER = "team_leader", _("team leader of the unit")
    EMERGENCY = "emergency", _("emergency access")
    SELF = "self", _("the client themself")


# What kind of page a row without one person was: a page that lists clients.
PAGES = {
    "caseload": _("a caseload"),
    "feedback": _("a list of feedback"),
    "unit": _("a unit's list of clients"),
    "unit_conferences": _("a unit's family group conferences"),
    "group": _("a group's page"),
    "log_review": _("log review"),
}


class AccessLog(models.Model):
    """One row per look at or change of a client's data. Written by the access helper
    in the same transaction as the data it covers; never updated."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    # The ground the access stood on; empty for a page of one's own (log review).
    role = models.CharField(max_length=20, choices=Ground.choices, blank=True)
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

    @property
    def page_label(self) -> str:
        return str(PAGES.get(self.detail.get("page", ""), ""))


class Listed(models.Model):
    """A client whose name a page that lists clients showed (the caseload, a unit's page,
    a group, log review): the client's "who has read my records" reads these beside the
    rows about them alone. Written with its access log row, never changed."""

    log = models.ForeignKey(AccessLog, on_delete=models.CASCADE, related_name="listed")
    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="+", db_index=False
    )

    class Meta:
        verbose_name = _("client shown in a list")
        verbose_name_plural = _("clients shown in lists")
        indexes = [models.Index(fields=["person", "log"])]

    def __str__(self) -> str:
        return f"{self.log_id}: {self.person_id}"
