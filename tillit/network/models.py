"""The client's network (nätverk / nettverk), family group conferences (familjerådslag /
familieråd) and network meetings with reflecting teams.

Nothing here is hard-deleted: a member leaves the map with `ended_on`, a move between
circles is a new `Placement`, a consent is withdrawn with a date. So the map can be shown
as it was on any earlier date, and an invitation never silently disappears.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    FAMILY = "family", _("Family")
    RELATIVE = "relative", _("Relative")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour")
    WORK = "work", _("Work or school")
    PROFESSIONAL = "professional", _("Professional or agency")
    OTHER = "other", _("Other")


class Circle(models.IntegerChoices):
    INNER = 1, _("Inner circle")
    MIDDLE = 2, _("Middle circle")
    OUTER = 3, _("Outer circle")


class Quality(models.TextChoices):
    SUPPORT = "support", _("Support")
    STRAIN = "strain", _("Strain")
    BOTH = "both", _("Both support and strain")


class Purpose(models.TextChoices):
    SHARE = "share", _("Share information")
    INVITE = "invite", _("Invite to meetings and conferences")
    HELP = "help", _("Ask for help")


class MemberQuerySet(models.QuerySet["NetworkMember"]):
    def on(self, day: datetime.date) -> MemberQuerySet:
        """Members on the map on `day`."""
        return self.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day), added_on__lte=day)


class NetworkMember(models.Model):
    """A person in the client's network, as the client describes them."""

    person = models.ForeignKey(
        "clients.Person", on_delete=models.PROTECT, related_name="network_members"
    )
    name = models.CharField(_("name"), max_length=120)
    relation = models.CharField(_("relation"), max_length=20, choices=Relation.choices)
    quality = models.CharField(
        _("support or strain"), max_length=10, choices=Quality.choices, default=Quality.SUPPORT
    )
    client_words = models.TextField(_("in the client's own words"), blank=True)
    reach = models.CharField(_("how to reach them"), max_length=200, blank=True)
    added_on = models.DateField(_("added"), default=datetime.date.today)
    ended_on = models.DateField(_("removed from the map"), null=True, blank=True)
    end_reason = models.CharField(_("why"), max_length=200, blank=True)
    # Saved against the revision it was read at (tillit/lib/revisions.py); a default in
    # the database too, so the bench seed's COPY need not name it.
    revision = models.PositiveIntegerField(default=1, db_default=1)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MemberQuerySet.as_manager()

    # Set by the map (not stored).
    circle: int
    consented: set[str]

    class Meta:
        verbose_name = _("network member")
        verbose_name_plural = _("network members")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("added_on")),
                name="member_ends_after_added",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_current(self) -> bool:
        return self.ended_on is None


class Placement(models.Model):
    """The member's circle from a date on. The latest on or before a day is the one shown."""

    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="placements")
    circle = models.PositiveSmallIntegerField(_("circle"), choices=Circle.choices)
    from_on = models.DateField(_("from"), default=datetime.date.today)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["from_on", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_circle_display()} · {self.from_on}"


class ConsentQuerySet(models.QuerySet["Consent"]):
    def valid_on(self, day: datetime.date) -> ConsentQuerySet:
        return self.filter(
            Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day), given_on__lte=day
        )


class Consent(models.Model):
    """The client's consent to contact a network member for one purpose."""

    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=10, choices=Purpose.choices)
    given_on = models.DateField(_("given"), default=datetime.date.today)
    withdrawn_on = models.DateField(_("withdrawn"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["given_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
                name="consent_withdrawn_after_given",
            )
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_purpose_display()}"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)


class Stage(models.TextChoices):
    REQUEST = "request", _("Request")
    COORDINATOR = "coordinator", _("Coordinator appointed")
    PREPARATION = "preparation", _("Preparation")
    CONFERENCE = "conference", _("Conference held")
    DECISION = "decision", _("Decision")
    FOLLOW_UP = "follow_up", _("Follow-up")


class Decision(models.TextChoices):
    PENDING = "", _("Not decided")
    ACCEPTED = "accepted", _("Plan accepted")
    NOT_ACCEPTED = "not_accepted", _("Plan not accepted")


class FamilyConference(models.Model):
    """A family group conference (familjerådslag / familieråd) on a case."""

    case = models.ForeignKey(
        "clients.Case", on_delete=models.PROTECT, related_name="family_conferences"
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default="request")
    requested_on = models.DateField(_("requested"), default=datetime.date.today)
    questions = models.TextField(_("questions social services needs answered"))
    agreement = models.TextField(_("the client's and family's agreement"))
    coordinator_name = models.CharField(_("independent coordinator"), max_length=120, blank=True)
    coordinator_staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coordinator among staff"),
    )
    coordinator_on = models.DateField(_("coordinator appointed"), null=True, blank=True)
    professionals = models.TextField(_("professionals who will inform"), blank=True)
    # What is written at preparation and at the conference is saved against the revision
    # it was read at (tillit/lib/revisions.py).
    revision = models.PositiveIntegerField(default=1, db_default=1)
    held_on = models.DateField(_("conference held"), null=True, blank=True)
    information = models.TextField(_("information part"), blank=True)
    private_time = models.TextField(_("the family's private time"), blank=True)
    plan_summary = models.TextField(_("the family's plan as presented"), blank=True)
    decision = models.CharField(
        _("decision"), max_length=20, choices=Decision.choices, default="", blank=True
    )
    decision_reason = models.TextField(_("reason"), blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("family group conference")
        verbose_name_plural = _("family group conferences")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="not_accepted") | ~Q(decision_reason=""),
                name="refused_plan_has_reason",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case} · {self.requested_on}"

    @property
    def coordinator(self) -> str:
        if self.coordinator_staff_id:
            return str(self.coordinator_staff)
        return self.coordinator_name


class OwnerKind(models.TextChoices):
    CLIENT = "client", _("The client")
    MEMBER = "member", _("Network member")
    PROFESSIONAL = "professional", _("Professional")


class PlanStep(models.Model):
    """One action in the family's plan, owned by the client, a network member or a
    professional, with a date by which it is done."""

    conference = models.ForeignKey(FamilyConference, on_delete=models.PROTECT, related_name="steps")
    what = models.TextField(_("what will be done"))
    owner_kind = models.CharField(_("who does it"), max_length=20, choices=OwnerKind.choices)
    owner_member = models.ForeignKey(
        NetworkMember,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("network member"),
    )
    owner_name = models.CharField(_("professional"), max_length=120, blank=True)
    by_when = models.DateField(_("by when"))
    outcome = models.TextField(_("outcome"), blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["by_when", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner_kind="member") | Q(owner_member__isnull=False),
                name="member_step_has_member",
            ),
            models.CheckConstraint(
                condition=~Q(owner_kind="professional") | ~Q(owner_name=""),
                name="professional_step_has_name",
            ),
        ]

    def __str__(self) -> str:
        return self.what[:60]

    @property
    def owner(self) -> str:
        if self.owner_kind == OwnerKind.MEMBER and self.owner_member:
            return self.owner_member.name
        if self.owner_kind == OwnerKind.PROFESSIONAL:
            return self.owner_name
        return str(OwnerKind.CLIENT.label)


class FollowUp(models.Model):
    """A follow-up meeting after the plan was accepted: how the plan goes."""

    conference = models.ForeignKey(
        FamilyConference, on_delete=models.PROTECT, related_name="follow_ups"
    )
    held_on = models.DateField(_("held"))
    notes = models.TextField(_("how the plan goes"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return f"{self.conference} · {self.held_on}"


class MeetingKind(models.TextChoices):
    NETWORK = "network", _("Network meeting")
    REFLECTING = "reflecting", _("Reflecting team")


class Meeting(models.Model):
    """A network meeting or a reflecting team on a case."""

    case = models.ForeignKey("clients.Case", on_delete=models.PROTECT, related_name="meetings")
    held_on = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=20, choices=MeetingKind.choices)
    client_present = models.BooleanField(_("the client took part"), default=True)
    staff = models.CharField(_("staff"), max_length=300, blank=True)
    agencies = models.CharField(_("other agencies"), max_length=300, blank=True)
    purpose = models.TextField(_("purpose"))
    client_words = models.TextField(_("what was said, in the client's words"), blank=True)
    reflections = models.TextField(_("the team's reflections"), blank=True)
    response = models.TextField(_("the client's and family's response"), blank=True)
    journal_entry = models.ForeignKey(
        "clients.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.held_on}"


class Invitation(models.Model):
    """A network member invited to a conference or a meeting, with the consent it stood on.
    If the consent is withdrawn later the invitation is marked, never dropped."""

    member = models.ForeignKey(NetworkMember, on_delete=models.PROTECT, related_name="invitations")
    conference = models.ForeignKey(
        FamilyConference,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    meeting = models.ForeignKey(
        Meeting, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    invited_on = models.DateField(default=datetime.date.today)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent_withdrawn_on = models.DateField(_("consent withdrawn"), null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(conference__isnull=False, meeting__isnull=True)
                | Q(conference__isnull=True, meeting__isnull=False),
                name="invitation_to_one_thing",
            ),
            models.UniqueConstraint(
                fields=["member", "conference"],
                condition=Q(conference__isnull=False),
                name="one_invitation_per_conference",
            ),
            models.UniqueConstraint(
                fields=["member", "meeting"],
                condition=Q(meeting__isnull=False),
                name="one_invitation_per_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.conference or self.meeting}"
