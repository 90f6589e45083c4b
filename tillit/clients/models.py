from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tillit.lib import ids
from tillit.lib.once import submission_column, submission_unique

if TYPE_CHECKING:
    from tillit.org.models import User


class Language(models.TextChoices):
    SWEDISH = "sv", _("Swedish")
    NORWEGIAN = "nb", _("Norwegian Bokmål")
    ENGLISH = "en", _("English")


class IdCountry(models.TextChoices):
    SWEDEN = ids.SWEDEN, _("Swedish personnummer or samordningsnummer")
    NORWAY = ids.NORWAY, _("Norwegian fødselsnummer or D-nummer")
    NONE = "", _("No identity number")


class Person(models.Model):
    """A client (klient / bruker)."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    id_country = models.CharField(
        _("identity number type"), max_length=2, choices=IdCountry.choices, blank=True
    )
    id_number = models.CharField(_("identity number"), max_length=13, blank=True)
    no_id_reason = models.CharField(
        _("why there is no identity number"), max_length=200, blank=True
    )
    protected_identity = models.BooleanField(_("protected identity"), default=False)
    named_staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff who may see this protected identity"),
        blank=True,
        related_name="protected_persons",
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default="sv"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["last_name", "first_name"]
        constraints = [
            # A protected identity is not there for staff not named on it, so registering
            # its number makes a record of its own (clients.forms.PersonForm).
            models.UniqueConstraint(
                fields=["id_country", "id_number"],
                condition=~Q(id_number="") & Q(protected_identity=False),
                name="unique_identity_number",
                violation_error_message=_(
                    "A client with this identity number is already registered. Ask a team "
                    "leader of the unit that has the case."
                ),
            ),
            models.CheckConstraint(
                condition=Q(id_country="", id_number="") & ~Q(no_id_reason="")
                | ~Q(id_country="") & ~Q(id_number=""),
                name="identity_number_or_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def id_kind(self) -> str:
        return ids.kind(self.id_country, self.id_number)

    def clean(self) -> None:
        # A number that a form has already refused is not here to check again: one error,
        # the right one (an empty number with a country is refused by the form and the
        # check constraint).
        if self.id_country and self.id_number:
            try:
                self.id_number = ids.normalise(self.id_country, self.id_number)
            except ValidationError as error:
                raise ValidationError({"id_number": error}) from None
            self.no_id_reason = ""
        elif self.id_country:
            self.no_id_reason = ""
        else:
            self.id_number = ""
            if not self.no_id_reason.strip():
                raise ValidationError(
                    {"no_id_reason": _("Say why the client has no identity number.")}
                )


class Origin(models.TextChoices):
    APPLICATION = "application", _("Application")
    REPORT = "report", _("Report of concern")
    OTHER = "other", _("Other")


class CaseStatus(models.TextChoices):
    INQUIRY = "inquiry", _("Inquiry")
    ASSESSMENT = "assessment", _("Assessment")
    INTERVENTION = "intervention", _("Intervention")
    FOLLOW_UP = "follow_up", _("Follow-up")
    CLOSED = "closed", _("Closed")


class CaseQuerySet(models.QuerySet["Case"]):
    def open(self) -> CaseQuerySet:
        return self.exclude(status=CaseStatus.CLOSED)


class Case(models.Model):
    """A case (ärende / sak) of one person in one unit."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="cases",
        db_index=False,
    )
    origin = models.CharField(_("how it started"), max_length=20, choices=Origin.choices)
    origin_text = models.TextField(_("what the application or report said"), blank=True)
    opened_on = models.DateField(_("opened"), default=datetime.date.today)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    # Set by retention (gallring) when the case's records are removed: what is left is a
    # tombstone the access log points at, which no page shows (clients.access).
    removed_on = models.DateField(null=True, blank=True, editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CaseStatus.choices, default=CaseStatus.INQUIRY
    )
    # Intake's decision whether to open an assessment (inledande av utredning /
    # undersøkelse), with the reason either way.
    assess = models.BooleanField(_("open an assessment"), null=True, blank=True)
    assess_reason = models.TextField(_("reason"), blank=True)
    assess_decided_on = models.DateField(null=True, blank=True)
    # A reopened case is a new period linked to the one before it.
    previous = models.OneToOneField(
        "self",
        verbose_name=_("earlier period"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_period",
    )

    objects = CaseQuerySet.as_manager()

    # Set by the pages that list cases (not stored).
    history: list[Assignment]
    contact: list[Assignment]
    handed: list[Handover]
    pending: Handover | None
    inquiry_form: object
    handover_form: object
    days_since: int | None
    quiet: bool

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=CaseStatus.CLOSED, closed_on__isnull=False)
                | ~Q(status=CaseStatus.CLOSED) & Q(closed_on__isnull=True),
                name="closed_case_has_date",
            ),
            models.CheckConstraint(
                condition=Q(assess__isnull=True, assess_decided_on__isnull=True)
                | Q(assess__isnull=False, assess_decided_on__isnull=False) & ~Q(assess_reason=""),
                name="inquiry_decision_has_reason",
            ),
        ]
        indexes = [models.Index(fields=["unit", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.unit}"

    @property
    def is_open(self) -> bool:
        return self.status != CaseStatus.CLOSED

    def set_status(self, status: str, on: datetime.date | None = None) -> None:
        """Move the case to `status`; closing dates it, reopening clears the date. A case
        with unsigned drafts is not closed: what is written is never left behind unseen."""
        drafts = self.journal_entries.filter(status=EntryStatus.DRAFT).count()
        if status == CaseStatus.CLOSED and drafts:
            raise ValidationError(
                ngettext(
                    "Sign or remove the unsigned draft before the case is closed.",
                    "Sign or remove the %(n)d unsigned drafts before the case is closed.",
                    drafts,
                )
                % {"n": drafts}
            )
        self.status = status
        self.closed_on = (on or datetime.date.today()) if status == CaseStatus.CLOSED else None
        self.save(update_fields=["status", "closed_on"])


class AssignmentRole(models.TextChoices):
    CONTACT_PERSON = "contact_person", _("Contact person")
    CASE_OFFICER = "case_officer", _("Case officer")
    TREATMENT = "treatment", _("Treatment")


class AssignmentQuerySet(models.QuerySet["Assignment"]):
    def current(self) -> AssignmentQuerySet:
        return self.filter(ended_on__isnull=True)


class Assignment(models.Model):
    """A worker on a case, from one date to another.

    Never overwritten: a change of worker ends this row and starts a new one, so that
    continuity can be measured from history.
    """

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="assignments")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="assignments",
        db_index=False,
    )
    role = models.CharField(_("role"), max_length=20, choices=AssignmentRole.choices)
    started_on = models.DateField(_("from"), default=datetime.date.today)
    ended_on = models.DateField(_("to"), null=True, blank=True)

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case", "role"],
                condition=Q(ended_on__isnull=True),
                name="one_current_assignment_per_role",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")),
                name="assignment_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["worker", "ended_on"])]

    def __str__(self) -> str:
        return f"{self.worker} · {self.get_role_display()} · {self.case}"


class HandoverState(models.TextChoices):
    PENDING = "pending", _("Waiting for the receiving unit")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class HandoverQuerySet(models.QuerySet["Handover"]):
    def pending(self) -> HandoverQuerySet:
        return self.filter(state=HandoverState.PENDING)


class Handover(models.Model):
    """A case handed from one unit to another (överlämning / overføring), with a note.
    The case stays with the sending unit until the receiving unit's team leader accepts
    it and names a contact person; then the case, and the access to it, moves."""

    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="handovers")
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("to unit"),
        on_delete=models.PROTECT,
        related_name="handovers_in",
    )
    note = models.TextField(_("note to the receiving unit"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(
        max_length=10, choices=HandoverState.choices, default=HandoverState.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.TextField(_("why the unit cannot take the case"), blank=True)

    objects = HandoverQuerySet.as_manager()

    class Meta:
        verbose_name = _("hand-over")
        verbose_name_plural = _("hand-overs")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(state="pending"), name="one_pending_handover"
            ),
            models.CheckConstraint(
                condition=~Q(from_unit=F("to_unit")), name="handover_to_another_unit"
            ),
            models.CheckConstraint(
                condition=Q(state="pending", decided_at__isnull=True)
                | Q(state="accepted", decided_at__isnull=False)
                | Q(state="declined", decided_at__isnull=False) & ~Q(decline_reason=""),
                name="handover_decided_with_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.to_unit}"


class EntryKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    DROP_IN = "drop_in", _("Drop-in")
    GROUP_SESSION = "group_session", _("Group session")
    LETTER = "letter", _("Letter")
    OTHER = "other", _("Other")


class EntryStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SIGNED = "signed", _("Signed")


class SignedEntryError(Exception):
    """Raised on any attempt to change a signed journal entry."""


class JournalEntryQuerySet(models.QuerySet["JournalEntry"]):
    def readable_by(self, user: User) -> JournalEntryQuerySet:
        """Signed entries, and the user's own drafts."""
        return self.filter(Q(status=EntryStatus.SIGNED) | Q(author=user))

    def current(self) -> JournalEntryQuerySet:
        """Entries that no correction has replaced. NOT EXISTS, not the LEFT JOIN that
        `replaced_by__isnull` makes: at 5 million entries PostgreSQL planned the join as a
        merge over the whole `replaces` index (10 ms instead of 0.1; docs/performance.md)."""
        return self.filter(
            ~models.Exists(JournalEntry.objects.filter(replaces=models.OuterRef("pk")))
        )


class JournalEntry(models.Model):
    """A journal note (journalanteckning / journalnotat).

    A draft until signed. A signed entry is never updated (the database refuses it too):
    a correction is a new signed version that `replaces` the old one, and both are kept.
    """

    case = models.ForeignKey(
        Case, on_delete=models.PROTECT, related_name="journal_entries", db_index=False
    )
    happened_at = models.DateTimeField(_("when it happened"))
    kind = models.CharField(_("kind"), max_length=20, choices=EntryKind.choices)
    text = models.TextField(_("text"))
    present = models.CharField(_("who was present"), max_length=300, blank=True)
    client_words = models.BooleanField(_("in the client's own words"), default=False)
    status = models.CharField(max_length=10, choices=EntryStatus.choices, default="draft")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    signed_at = models.DateTimeField(null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    # The first version of this note; lets a page fetch every version in one query.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    version = models.PositiveSmallIntegerField(default=1)
    correction_reason = models.CharField(_("reason for the correction"), max_length=500, blank=True)
    # A draft is saved against the revision it was read at (tillit/lib/revisions.py).
    revision = models.PositiveIntegerField(default=1, db_default=1)
    # The key of the form that wrote it: a form sent twice makes one entry (tillit/lib/once.py).
    submission = submission_column()

    objects = JournalEntryQuerySet.as_manager()

    # Earlier versions, set by the journal page (not stored).
    earlier: list[JournalEntry]

    class Meta:
        verbose_name = _("journal entry")
        verbose_name_plural = _("journal entries")
        ordering = ["-happened_at", "-version"]
        indexes = [
            models.Index(fields=["case", "-happened_at"]),
            # Drafts are few; the caseload counts each worker's per case (docs/performance.md).
            models.Index(
                fields=["case", "author"], condition=Q(status="draft"), name="journal_drafts"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft", signed_at__isnull=True)
                | Q(status="signed", signed_at__isnull=False, signed_by__isnull=False),
                name="signed_entry_has_signature",
            ),
            models.CheckConstraint(
                condition=Q(replaces__isnull=True) | ~Q(correction_reason=""),
                name="correction_has_reason",
            ),
            submission_unique("journal_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.happened_at:%Y-%m-%d}"

    def save(self, *args, **kwargs) -> None:
        if getattr(self, "_signed_in_db", False):
            raise SignedEntryError("A signed journal entry cannot be changed; correct it.")
        super().save(*args, **kwargs)
        self._signed_in_db = self.is_signed

    def validate_constraints(self, exclude=None) -> None:
        """Django gives up a check that names a field the form leaves out, but only after
        building the check's query; the journal's checks are on the signature and the
        correction, which no form edits, so every journal form post paid for two queries
        built and thrown away. Given up here before they are built, with the same result."""
        left_out = set(exclude or ())
        if all(
            isinstance(check, models.CheckConstraint)
            and Q(check.condition).referenced_base_fields & left_out
            for check in self._meta.constraints
        ):
            return
        super().validate_constraints(exclude)

    def delete(self, *args, **kwargs):
        if getattr(self, "_signed_in_db", False):
            raise SignedEntryError("A signed journal entry cannot be deleted.")
        return super().delete(*args, **kwargs)

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._signed_in_db = instance.status == EntryStatus.SIGNED
        return instance

    @property
    def is_signed(self) -> bool:
        return self.status == EntryStatus.SIGNED


class EmergencyAccessQuerySet(models.QuerySet["EmergencyAccess"]):
    def active(self) -> EmergencyAccessQuerySet:
        return self.filter(expires_at__gt=timezone.now())


class EmergencyCategory(models.TextChoices):
    """Why the glass is broken: the kinds of urgency that justify it."""

    RISK = "risk", _("Acute risk to the client's life or health")
    CONTACT = "contact", _("The client needs help now and their workers cannot be reached")
    AUTHORITY = "authority", _("An urgent request from the police, health care or a court")
    OTHER = "other", _("Another urgent reason, described below")


class EmergencyAccess(models.Model):
    """A reasoned, time-limited access to one person, outside the need-to-know rule,
    shown to team leaders for review."""

    # The reason must say something: a word or two is no reason a reviewer can judge.
    REASON_MIN_LENGTH = 20

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="emergency_accesses",
        db_index=False,
    )
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    category = models.CharField(
        _("kind of urgency"), max_length=20, choices=EmergencyCategory.choices, blank=True
    )
    reason = models.TextField(_("reason"))
    started_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = EmergencyAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "person", "expires_at"])]
        constraints = [
            models.CheckConstraint(condition=~Q(reason=""), name="emergency_access_has_reason")
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.person} ({timezone.localtime(self.started_at):%Y-%m-%d %H:%M})"
