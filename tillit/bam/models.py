"""BaM (Bygging av Mestringstillit): weak and strong moments, explored on a board with
three columns, Foranledning / Adferd / Konsekvens, in the client's own words."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

CONFIDENCE_MIN, CONFIDENCE_MAX = 0, 10


class Kind(models.TextChoices):
    WEAK = "weak", _("Weak moment")
    STRONG = "strong", _("Strong moment")


class Source(models.TextChoices):
    MEETING = "meeting", _("Explored together in a meeting")
    CLIENT = "client", _("Recorded by the client between meetings")


class Column(models.TextChoices):
    ANTECEDENT = "antecedent", _("Antecedent")
    BEHAVIOUR = "behaviour", _("Behaviour")
    CONSEQUENCE = "consequence", _("Consequence")


class Tag(models.Model):
    """A word the client chose for what led up to a moment ("payday", "alone"). Tags
    belong to one person: their earlier tags are offered when a new moment is written."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    name = models.CharField(_("tag"), max_length=60)

    class Meta:
        verbose_name = _("tag")
        verbose_name_plural = _("tags")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="unique_tag_per_person")
        ]

    def __str__(self) -> str:
        return self.name


class MomentQuerySet(models.QuerySet["Moment"]):
    def weak(self) -> MomentQuerySet:
        return self.filter(kind=Kind.WEAK)

    def strong(self) -> MomentQuerySet:
        return self.filter(kind=Kind.STRONG)


class Moment(models.Model):
    """A weak moment (lapse, relapse) or a strong one (a risk situation mastered).

    Written in the client's words: the worker is the secretary. The three text fields are
    the moment as written up; the board's short notes (MomentNote) sit beside them.
    """

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind of moment"), max_length=10, choices=Kind.choices)
    happened_at = models.DateTimeField(_("when it happened"))
    title = models.CharField(_("title, in the client's words"), max_length=200, blank=True)
    antecedent = models.TextField(
        _("antecedent"),
        blank=True,
        help_text=_("Where, with whom, what happened; thoughts, feelings, the body."),
    )
    behaviour = models.TextField(_("behaviour"), blank=True, help_text=_("What the client did."))
    consequences = models.TextField(
        _("consequences"),
        blank=True,
        help_text=_("Right after and later: what it gave and what it cost."),
    )
    what_worked = models.TextField(
        _("what worked"), blank=True, help_text=_("For a strong moment: what helped.")
    )
    instead_next_time = models.TextField(
        _("what to try instead next time"),
        blank=True,
        help_text=_("For a weak moment: what the client could do instead."),
    )
    tags = models.ManyToManyField(Tag, verbose_name=_("tags"), blank=True, related_name="moments")
    confidence = models.PositiveSmallIntegerField(
        _("confidence from 0 to 10"),
        null=True,
        blank=True,
        help_text=_("How sure the client is that they can master a situation like this."),
    )
    source = models.CharField(
        _("source"), max_length=10, choices=Source.choices, default=Source.MEETING
    )
    entry = models.ForeignKey(
        "clients.JournalEntry",
        verbose_name=_("meeting"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The staff member who wrote it down; empty when the client recorded it themselves.
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    # Saved against the revision it was read at (tillit/lib/revisions.py). A default in
    # the database too, so the bench seed's COPY need not name it.
    revision = models.PositiveIntegerField(default=1, db_default=1)

    objects = MomentQuerySet.as_manager()

    class Meta:
        verbose_name = _("moment")
        verbose_name_plural = _("moments")
        ordering = ["-happened_at", "-id"]
        indexes = [
            models.Index(fields=["person", "-happened_at"]),
            models.Index(fields=["written_by", "source", "happened_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(confidence__isnull=True)
                | Q(confidence__gte=CONFIDENCE_MIN, confidence__lte=CONFIDENCE_MAX),
                name="moment_confidence_0_to_10",
            ),
            models.CheckConstraint(
                condition=Q(source=Source.CLIENT) | Q(written_by__isnull=False),
                name="moment_staff_writer_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"

    @property
    def is_strong(self) -> bool:
        return self.kind == Kind.STRONG

    @property
    def recorded_by_client(self) -> bool:
        return self.source == Source.CLIENT

    @property
    def alternative(self) -> str:
        return self.what_worked if self.is_strong else self.instead_next_time

    def clean(self) -> None:
        errors: dict[str, ValidationError] = {}
        if not any(
            text.strip()
            for text in (self.title, self.antecedent, self.behaviour, self.consequences)
        ):
            errors["title"] = ValidationError(
                _("Write at least a title or something in one column."), code="empty"
            )
        if self.happened_at and self.happened_at > timezone.now():
            errors["happened_at"] = ValidationError(
                _("A moment cannot be in the future."), code="future"
            )
        if self.confidence is not None and not (
            CONFIDENCE_MIN <= self.confidence <= CONFIDENCE_MAX
        ):
            errors["confidence"] = ValidationError(
                _("Confidence is a number from 0 to 10."), code="confidence"
            )
        if self.kind == Kind.WEAK and self.what_worked.strip():
            errors["what_worked"] = ValidationError(
                _("What worked belongs to a strong moment."), code="kind"
            )
        if self.kind == Kind.STRONG and self.instead_next_time.strip():
            errors["instead_next_time"] = ValidationError(
                _("What to try instead belongs to a weak moment."), code="kind"
            )
        if self.entry is not None and self.case_id and self.entry.case_id != self.case_id:
            errors["entry"] = ValidationError(
                _("Choose a meeting in the same case."), code="entry_case"
            )
        if errors:
            raise ValidationError(errors)


class MomentNote(models.Model):
    """A short note in one column of the board, added one at a time during the meeting."""

    moment = models.ForeignKey(Moment, on_delete=models.CASCADE, related_name="notes")
    column = models.CharField(_("column"), max_length=12, choices=Column.choices)
    text = models.CharField(_("note"), max_length=300)
    order = models.PositiveIntegerField(default=0)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("board note")
        verbose_name_plural = _("board notes")
        ordering = ["moment", "column", "order", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="moment_note_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text
