"""Plans on a case: a care plan, an implementation plan or a coordinated individual plan
(SIP), with goals in the client's own words, steps towards them, and reviews.

A plan is a draft, then shared with the client (who reads it in the portal), then signed
by the worker. A signed plan is never edited: a change is a new version that `replaces`
it and goes through the same states. Goals and steps carry a `revision` that every
update checks, so two people editing at once never overwrite each other silently.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.lib.once import submission_column, submission_unique


class PlanKind(models.TextChoices):
    CARE = "care", _("Care plan")
    IMPLEMENTATION = "implementation", _("Implementation plan")
    COORDINATED = "coordinated", _("Coordinated individual plan (SIP)")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SHARED = "shared", _("Shared with the client")
    SIGNED = "signed", _("Signed")


class Doer(models.TextChoices):
    CLIENT = "client", _("The client")
    NETWORK = "network", _("Someone in the client's network")
    WORKER = "worker", _("The worker")
    AGENCY = "agency", _("Another agency")


class PlanQuerySet(models.QuerySet["Plan"]):
    def for_client(self) -> PlanQuerySet:
        """What a client may read: shared and signed plans, never drafts."""
        return self.exclude(status=PlanStatus.DRAFT)


class Plan(models.Model):
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(_("kind of plan"), max_length=20, choices=PlanKind.choices)
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default="draft")
    version = models.PositiveSmallIntegerField(default=1)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    review_on = models.DateField(_("next review"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    shared_at = models.DateTimeField(null=True, blank=True)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at", "-version"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="signed") | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="signed_plan_has_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.version}"

    @property
    def is_signed(self) -> bool:
        return self.status == PlanStatus.SIGNED

    @property
    def is_editable(self) -> bool:
        return self.status != PlanStatus.SIGNED

    @property
    def next_review(self) -> datetime.date | None:
        """The date the latest review set, or else the one the plan was made with."""
        for review in self.reviews.all():  # newest first, prefetched on the pages
            if review.next_on:
                return review.next_on
        return self.review_on


class Goal(models.Model):
    """A goal in the client's own words, and why it matters to them."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="goals")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("goal, in the client's own words"), max_length=2000)
    why = models.TextField(_("why this matters to me"), max_length=2000, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Step(models.Model):
    """A step towards a goal: what is done, who does it, by when."""

    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(_("step"), max_length=2000)
    doer = models.CharField(_("who does it"), max_length=10, choices=Doer.choices)
    doer_name = models.CharField(_("name or agency"), max_length=200, blank=True)
    due_on = models.DateField(_("by when"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("step")
        verbose_name_plural = _("steps")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.text[:60]


class Participant(models.Model):
    """Someone from another agency taking part in a coordinated plan, with the client's
    consent to it."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(_("name"), max_length=200)
    agency = models.CharField(_("agency"), max_length=200)
    role = models.CharField(_("role"), max_length=200, blank=True)
    consent = models.BooleanField(_("the client consents to their taking part"), default=False)
    consent_on = models.DateField(_("consent date"), null=True, blank=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(consent=False) | Q(consent_on__isnull=False),
                name="consent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency})"


class Review(models.Model):
    """A review (uppföljning / evaluering): what happened, and what changes."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="reviews")
    held_on = models.DateField(_("date of the review"))
    happened = models.TextField(_("what happened"), max_length=4000)
    changes = models.TextField(_("what changes"), max_length=4000, blank=True)
    next_on = models.DateField(_("next review"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.held_on}"


class PlanResponse(models.Model):
    """The client's answer to a signed plan, in the portal: accepted, or not, in their
    own words. Every answer is kept; the newest counts."""

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="responses")
    accepted = models.BooleanField(_("I accept the plan"))
    text = models.TextField(_("in your own words"), max_length=4000, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The key of the form that sent it: a double tap makes one answer (tillit/lib/once.py).
    submission = submission_column()

    class Meta:
        verbose_name = _("client's answer")
        verbose_name_plural = _("client's answers")
        ordering = ["-created_at", "-pk"]
        constraints = [submission_unique("plan_response")]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.accepted}"
