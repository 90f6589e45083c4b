"""Closing a case (avslut / avslutning) and the follow-up after it (uppföljning /
oppfølging): why the case closed, in the client's words where they gave any, what became
of the unsigned drafts, and when to ask how life is now. Each follow-up is held (the
change since closing counted as Bjuv counted it), not reached (with every try), or
cancelled (the case was reopened)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tillit.clients.models import Case
from tillit.lib.links import OneTimeLink


class Reason(models.TextChoices):
    GOALS_REACHED = "goals_reached", _("The goals are reached")
    CLIENT_ENDED = "client_ended", _("The client ended the contact")
    MOVED = "moved", _("The client moved")
    TRANSFERRED = "transferred", _("Transferred to another service")
    DIED = "died", _("The client died")
    OTHER = "other", _("Other reason")


class Closing(models.Model):
    """How and why one case period closed. One per case: a case reopened is a new period
    (`Case.previous`), closed with a closing of its own."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="closing")
    reason = models.CharField(_("why the case closes"), max_length=20, choices=Reason.choices)
    reason_text = models.CharField(_("the reason in a few words"), max_length=300, blank=True)
    client_words = models.TextField(_("the client's own summary, in their words"), blank=True)
    closed_on = models.DateField(_("closed on"))
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # What became of each unsigned draft of the closing user's: [{"entry", "written",
    # "done": "signed" | "discarded"}]. Nothing is left behind unseen, nor removed silently.
    drafts = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("closing")
        verbose_name_plural = _("closings")
        ordering = ["-closed_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(reason=Reason.OTHER) | ~Q(reason_text=""),
                name="closing_other_reason_said",
                violation_error_message=_("Say in a few words why the case closes."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} ({self.closed_on})"


class State(models.TextChoices):
    DUE = "due", _("Due")
    HELD = "held", _("Held")
    NOT_REACHED = "not_reached", _("Not reached")
    CANCELLED = "cancelled", _("Cancelled")


class Change(models.TextChoices):
    """The change since closing, as Bjuv counted it in *Den Bästa Vägen*."""

    LASTING = "lasting", _("Lasting improvement")
    TEMPORARY = "temporary", _("Temporary improvement")
    NONE = "none", _("No change")
    WORSE = "worse", _("Worse")


class Channel(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    LINK = "link", _("The client answered through a one-time link")


class Substance(models.TextChoices):
    NONE = "none", _("No use now")
    LESS = "less", _("Less than at closing")
    SAME = "same", _("About the same as at closing")
    MORE = "more", _("More than at closing")


class Housing(models.TextChoices):
    OWN = "own", _("Own or rented home")
    FAMILY = "family", _("With family or friends")
    SUPPORTED = "supported", _("Supported housing")
    INSTITUTION = "institution", _("Treatment home or institution")
    NONE = "none", _("No home of their own")
    OTHER = "other", _("Other")


class Occupation(models.TextChoices):
    WORK = "work", _("Work")
    STUDIES = "studies", _("Studies")
    ACTIVITY = "activity", _("Work practice or another daily activity")
    NONE = "none", _("Neither work nor studies")


class CancelReason(models.TextChoices):
    REOPENED = "reopened", _("The case was reopened")


class FollowUpQuerySet(models.QuerySet["FollowUp"]):
    def pending(self) -> FollowUpQuerySet:
        return self.filter(state=State.DUE)


class FollowUp(models.Model):
    """One follow-up after closing, due on a chosen day: held (by a conversation, or the
    client's answer through a one-time link), not reached after tries, or cancelled."""

    closing = models.ForeignKey(
        Closing, on_delete=models.PROTECT, related_name="followups", db_index=False
    )
    due_on = models.DateField(_("due on"))
    state = models.CharField(max_length=12, choices=State.choices, default=State.DUE)
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # The day it was recorded: the database holds `held_on` to it, so a follow-up is never
    # recorded as held in the future (a check cannot read the clock on either engine).
    recorded_on = models.DateField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("how"), max_length=10, choices=Channel.choices, blank=True)
    # How life is now, on the life check's areas (feedback instrument "life"): item key
    # to the value given on its scale; an area left out was not asked or not answered.
    life = models.JSONField(default=dict, blank=True)
    change = models.CharField(
        _("change since the case closed"), max_length=10, choices=Change.choices, blank=True
    )
    substance = models.CharField(
        _("alcohol, drugs or the habit they wanted to change"),
        max_length=10,
        choices=Substance.choices,
        blank=True,
    )
    housing = models.CharField(_("housing"), max_length=12, choices=Housing.choices, blank=True)
    occupation = models.CharField(
        _("work or studies"), max_length=10, choices=Occupation.choices, blank=True
    )
    sought_help = models.BooleanField(_("has sought help again"), null=True, blank=True)
    client_words = models.TextField(_("in the client's own words"), blank=True)
    cancel_reason = models.CharField(
        max_length=20, choices=CancelReason.choices, blank=True, editable=False
    )
    finished_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = FollowUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.UniqueConstraint(fields=["closing", "due_on"], name="one_followup_a_day"),
            models.CheckConstraint(
                condition=Q(
                    state=State.HELD,
                    held_on__isnull=False,
                    recorded_on__isnull=False,
                    held_on__lte=F("recorded_on"),
                )
                & ~Q(change="")
                & ~Q(channel="")
                | ~Q(state=State.HELD) & Q(held_on__isnull=True, change=""),
                name="held_followup_is_dated_and_counted",
                violation_error_message=_("A follow-up cannot be recorded as held in the future."),
            ),
            models.CheckConstraint(
                condition=Q(state=State.CANCELLED) & ~Q(cancel_reason="")
                | ~Q(state=State.CANCELLED) & Q(cancel_reason=""),
                name="cancelled_followup_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.closing.case} · {self.due_on}"

    def clean(self) -> None:
        if self.held_on and self.held_on > timezone.localdate():
            raise ValidationError(
                {"held_on": _("A follow-up cannot be recorded as held in the future.")},
                code="future",
            )

    @property
    def is_open(self) -> bool:
        """Still to be held: due, or not reached so far (the client may call back)."""
        return self.state in (State.DUE, State.NOT_REACHED)

    def days_late(self, today: datetime.date | None = None) -> int:
        return ((today or timezone.localdate()) - self.due_on).days


class TryHow(models.TextChoices):
    PHONE = "phone", _("Phone call")
    TEXT = "text", _("Text message")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("Home visit")
    LINK = "link", _("One-time link")
    OTHER = "other", _("Other")


class Attempt(models.Model):
    """One try to reach the client for a follow-up: an honest table counts the unreached,
    and how hard they were sought."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="attempts")
    tried_on = models.DateField(_("tried on"))
    how = models.CharField(_("how"), max_length=10, choices=TryHow.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("try to reach the client")
        verbose_name_plural = _("tries to reach the client")
        ordering = ["tried_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_how_display()} {self.tried_on}"


class FollowUpLink(OneTimeLink):
    """A one-time link to a short follow-up form on the client's phone, no login
    (tillit.lib.links)."""

    followup = models.ForeignKey(FollowUp, on_delete=models.PROTECT, related_name="links")

    def __str__(self) -> str:
        return f"link for follow-up {self.followup_id}"
