"""Pseudonymised extracts for evaluators: an order for a study (which units, which period,
which variable groups of the codebook), the team leaders' or a manager's approval of it,
and each run that produced its zip. No client is named in any of these rows: the study's
secret, which keys the pseudonyms, is drawn at approval, kept here and shown nowhere."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.lib.once import submission_column, submission_unique


class OrderState(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class Order(models.Model):
    """An evaluator's order of an extract for one study."""

    study = models.CharField(_("study"), max_length=200)
    purpose = models.TextField(_("purpose"))
    units = models.ManyToManyField(
        "org.Unit", verbose_name=_("units"), related_name="extract_orders"
    )
    period_from = models.DateField(_("from"))
    period_to = models.DateField(_("to"))
    # The codebook's variable groups (tillit.extracts.codebook.GROUPS), in its order.
    groups = models.JSONField(_("variables"), default=list)
    # The language the codebook and report in the zip are written in: the orderer's.
    language = models.CharField(max_length=8, default="sv")
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="extract_orders"
    )
    ordered_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=10, choices=OrderState.choices, default=OrderState.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    refused_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    refusal_reason = models.TextField(_("why the extract is refused"), blank=True)
    # The study's secret key (HMAC-SHA256) for pseudonyms and worker codes: drawn when the
    # order is approved, never in an extract, on a page or in the admin.
    secret = models.CharField(max_length=64, blank=True, editable=False)
    submission = submission_column()

    class Meta:
        verbose_name = _("extract order")
        verbose_name_plural = _("extract orders")
        ordering = ["-ordered_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_to__gte=F("period_from")), name="extract_period_in_order"
            ),
            models.CheckConstraint(
                condition=Q(state="pending", decided_at__isnull=True, secret="")
                | Q(state="approved", decided_at__isnull=False) & ~Q(secret="")
                | Q(state="refused", decided_at__isnull=False, refused_by__isnull=False, secret="")
                & ~Q(refusal_reason=""),
                name="extract_decided_with_secret_or_reason",
            ),
            submission_unique("extract_order"),
        ]

    def __str__(self) -> str:
        return self.study

    @property
    def is_approved(self) -> bool:
        return self.state == OrderState.APPROVED


class Approval(models.Model):
    """One leader's approval of the units of an order they lead (as team leader or
    manager, with the units below). The order is approved when the approvals together
    cover every unit in it."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="approvals")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)
    # The ids of the order's units this approval covers.
    units = models.JSONField(default=list)

    class Meta:
        verbose_name = _("approval of an extract")
        verbose_name_plural = _("approvals of extracts")
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["order", "by"], name="one_approval_per_leader")
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.by}"


class RunState(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Being produced")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Failed")
    DOWNLOADED = "downloaded", _("Downloaded and removed")
    EXPIRED = "expired", _("Removed unread")


ACTIVE = (RunState.QUEUED, RunState.RUNNING)
STEPS = {
    "scope": _("Finding the cases and checking k-anonymity"),
    "done": _("Done"),
}
# A run that has not moved for this long was stopped with its process (a restart).
STALE_AFTER = datetime.timedelta(minutes=10)


class Run(models.Model):
    """One production of an order's zip, from the page (in a thread of the web process)
    or by `manage.py extract`: its progress, its release report and where its file waits
    (under settings.EXTRACT_DIR) until it is downloaded or expires."""

    order = models.ForeignKey(Order, on_delete=models.PROTECT, related_name="runs")
    # Who started it on the page; empty when `manage.py extract` did.
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(max_length=10, choices=RunState.choices, default=RunState.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=20, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    file = models.CharField(max_length=200, blank=True)
    size = models.BigIntegerField(null=True, blank=True)
    # The release report's counts (no person in it).
    report = models.JSONField(default=dict, blank=True)
    # The kind of error only (never its message, which could quote data).
    error = models.CharField(max_length=100, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("run of an extract")
        verbose_name_plural = _("runs of extracts")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["order"],
                condition=Q(state__in=["queued", "running"]),
                name="one_active_run_per_order",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="extract_run_progress_in_range"
            ),
            models.CheckConstraint(
                condition=~Q(state="ready") | ~Q(file="") & Q(expires_at__isnull=False),
                name="ready_extract_has_its_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def step_label(self) -> str:
        if self.step in STEPS:
            return str(STEPS[self.step])
        return _("Writing %(table)s") % {"table": self.step} if self.step else ""

    def stalled(self, now: datetime.datetime | None = None) -> bool:
        return self.state in ACTIVE and (now or timezone.now()) - self.updated_at > STALE_AFTER

    def downloadable(self, now: datetime.datetime | None = None) -> bool:
        return (
            self.state == RunState.READY
            and self.expires_at is not None
            and self.expires_at > (now or timezone.now())
        )
