"""The dialogical assessment (utredning / kartlegging): per life area, the client's own
account beside the worker's reflection, what they agree on and where they see it
differently, kept side by side and never smoothed over."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case

RATING = [MinValueValidator(0), MaxValueValidator(4)]


class LifeArea(models.Model):
    """A life area of the assessment. The defaults come from a data migration; an
    administrator may rename, reorder, add or retire areas."""

    key = models.SlugField(unique=True)
    name_en = models.CharField(_("name in English"), max_length=100)
    name_sv = models.CharField(_("name in Swedish"), max_length=100)
    name_nb = models.CharField(_("name in Norwegian"), max_length=100)
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("life area")
        verbose_name_plural = _("life areas")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return getattr(self, f"name_{(get_language() or 'en')[:2]}", None) or self.name_en


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the client")
    FINISHED = "finished", _("Finished")


class ClientView(models.TextChoices):
    AGREES = "agrees", _("The client agrees with the assessment")
    DISSENTS = "dissents", _("The client does not agree")


class Assessment(models.Model):
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assessments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    client_view = models.CharField(
        _("the client's view"), max_length=10, choices=ClientView.choices, blank=True
    )
    client_statement = models.TextField(_("in the client's own words"), blank=True)
    # The client's view and the instrument are saved against the revision they were read
    # at (tillit/lib/revisions.py), each its own: one never makes the other stale.
    view_revision = models.PositiveIntegerField(default=1)
    # A structured instrument (e.g. ASI) as an attachment to the dialogue: its date and
    # composite results as numbers, never its copyrighted item text.
    instrument_date = models.DateField(_("interview date"), null=True, blank=True)
    instrument_scores = models.JSONField(default=dict, blank=True)
    instrument_revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="finished")
                | Q(signed_by__isnull=False, finished_at__isnull=False) & ~Q(client_view=""),
                name="finished_assessment_is_signed_with_the_clients_view",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.created_at:%Y-%m-%d}"

    @property
    def editable(self) -> bool:
        return self.status != Status.FINISHED


class Writer(models.TextChoices):
    CLIENT = "client", _("written by the client")
    WORKER = "worker", _("written down by the worker")


class AreaAnswer(models.Model):
    """One life area of one assessment. `revision` goes up with every save, so two people
    writing at once never overwrite each other silently (see services.area_save)."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="answers", db_index=False
    )
    area = models.ForeignKey(LifeArea, on_delete=models.PROTECT, related_name="+")
    client_account = models.TextField(_("the client's own account"), blank=True)
    client_account_by = models.CharField(max_length=10, choices=Writer.choices, blank=True)
    worker_reflection = models.TextField(_("the worker's reflection"), blank=True)
    agreed = models.TextField(_("what we agree on"), blank=True)
    differ = models.TextField(_("where we see it differently"), blank=True)
    client_rating = models.PositiveSmallIntegerField(
        _("the client's rating of the help needed (0 to 4)"),
        null=True,
        blank=True,
        validators=RATING,
    )
    worker_rating = models.PositiveSmallIntegerField(
        _("the worker's rating of the help needed (0 to 4)"),
        null=True,
        blank=True,
        validators=RATING,
    )
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    # The form for this area, set by the page (not stored).
    form: Any

    class Meta:
        ordering = ["area__order", "area_id"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "area"], name="one_answer_per_area"),
            models.CheckConstraint(
                condition=Q(client_rating__lte=4) & Q(worker_rating__lte=4),
                name="ratings_0_to_4",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment_id} {self.area_id}"
