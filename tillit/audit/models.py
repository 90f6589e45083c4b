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
    # Security events: rows with no client (tillit/audit/events.py).
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOCKOUT = "lockout", _("Lockout")
    LOCKOUT_LIFT = "lockout_lift", _("Lockout lifted")
    MFA_CHANGE = "mfa_change", _("Second factor changed")
    SESSION_END = "session_end", _("Session ended")
    ROLE_CHANGE = "role_change", _("Role changed")
    # Pseudonymised extracts for evaluators (tillit/extracts): rows with no client.
    EXTRACT_ORDER = "extract_order", _("Extract ordered")
    EXTRACT_DECISION = "extract_decision", _("Extract approved or refused")


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
    "lockouts": _("a list of locked-out logins"),
    "search": _("a search for clients"),
    "closed": _("a list of closed cases"),
    "decisions_waiting": _("a unit's decisions not yet carried out"),
    "ivo_report": _("a report to the inspectorate (IVO)"),
}


class AccessLog(models.Model):
    """One row per look at or change of a client's data, and per security event (a failed
    login, a lockout, a second factor changed, a session ended, a role changed). Written by
    the access helper in the same transaction as the data it covers. Append-only: the
    database refuses UPDATE and DELETE (migration audit/0008) but for retention's one path
    (tillit/audit/removal.py). Each row carries the hash of its content, written with it;
    `manage.py audit_seal` chains closed days and `audit_verify` checks both
    (tillit/audit/chain.py)."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # None only for a failed login or lockout of a user name that is no account's.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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
    # SHA-256 of the row's content (chain.content_hash), set as it is written; empty only
    # in rows from before the chain, which the first seal of their day covers.
    hash = models.CharField(max_length=64, blank=True, default="", editable=False)

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

    def save(self, *args, **kwargs) -> None:
        if self.pk is None and not self.hash:
            from tillit.audit.chain import content_hash

            self.hash = content_hash(self)
        super().save(*args, **kwargs)

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


class Seal(models.Model):
    """One closed day (UTC) of the access log, chained to the day before: `digest` is the
    hash of the day's rows in order (each with its content hash and the clients it
    listed), `hash` that of the previous seal's hash, the day, the count and the digest.
    Written by `manage.py audit_seal`; never changed (the database refuses)."""

    day = models.DateField(unique=True)
    rows = models.PositiveIntegerField()
    digest = models.CharField(max_length=64)
    prev = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)
    sealed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("seal of a day of the access log")
        verbose_name_plural = _("seals of the access log")
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day} {self.rows} {self.hash[:12]}"


class Removal(models.Model):
    """Retention's one way to remove access log rows (tillit/audit/removal.py): the rows
    it may delete are named in RemovedRow under an open Removal, which the database's
    trigger reads; it is closed in the same transaction. Never deleted; once closed,
    never changed."""

    at = models.DateTimeField(default=timezone.now)
    reason = models.CharField(max_length=300)
    open = models.BooleanField(default=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("removal of access log rows")
        verbose_name_plural = _("removals of access log rows")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d} {self.rows} {self.reason}"


class RemovedRow(models.Model):
    """What stays of a removed access log row: its key, its day and its link in the day's
    seal (no content), so the chain still verifies after retention."""

    log_id = models.BigIntegerField(primary_key=True)
    removal = models.ForeignKey(Removal, on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    link = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("removed access log row")
        verbose_name_plural = _("removed access log rows")
        indexes = [models.Index(fields=["day", "log_id"])]

    def __str__(self) -> str:
        return f"{self.log_id} ({self.day})"


class Verdict(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    RAISED = "raised", _("Raised")


class Sample(models.Model):
    """A month's random sample of a unit's ordinary accesses, for its team leader's log
    review (HSLF-FS 2016:40; Normen). Drawn by `review.sample_draw` from the month's rows
    with `seed`: the same seed draws the same rows again (`review.sample_rows`)."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+", db_index=False)
    month = models.DateField()  # its first day
    seed = models.BigIntegerField()
    size = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    drawn_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("sample for log review")
        verbose_name_plural = _("samples for log review")
        constraints = [
            models.UniqueConstraint(fields=["unit", "month"], name="one_sample_per_unit_month")
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.month:%Y-%m}"


class SampleItem(models.Model):
    """One access in a sample, and the team leader's verdict on it."""

    sample = models.ForeignKey(
        Sample, on_delete=models.CASCADE, related_name="items", db_index=False
    )
    log = models.ForeignKey(AccessLog, null=True, on_delete=models.SET_NULL, related_name="+")
    verdict = models.CharField(max_length=20, choices=Verdict.choices, blank=True)
    note = models.TextField(blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True)

    class Meta:
        verbose_name = _("sampled access")
        verbose_name_plural = _("sampled accesses")
        constraints = [
            models.UniqueConstraint(fields=["sample", "log"], name="one_item_per_sampled_row")
        ]

    def __str__(self) -> str:
        return f"{self.sample_id}: {self.log_id} {self.verdict}"
