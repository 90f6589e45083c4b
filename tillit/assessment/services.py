"""Writes of the assessment: start, save one area, share with the client, record the
client's view and the instrument's scores, finish and sign.

An area, the client's view and the instrument are each saved against the revision they
were read at (`tillit.lib.revisions`): a stale save raises `Conflict` and writes nothing,
so no one's words are ever silently replaced."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from tillit.assessment.models import (
    AreaAnswer,
    Assessment,
    ClientView,
    LifeArea,
    Status,
    Writer,
)
from tillit.clients.models import Case
from tillit.lib.revisions import save_at_revision
from tillit.org.models import User

CLIENT_FIELDS = ("client_account", "client_rating")
WORKER_FIELDS = (
    "client_account",
    "worker_reflection",
    "agreed",
    "differ",
    "client_rating",
    "worker_rating",
)


def assessment_start(*, actor: User, case: Case) -> Assessment:
    """A new draft with one empty answer per life area in use."""
    assessment = Assessment.objects.create(case=case, created_by=actor)
    AreaAnswer.objects.bulk_create(
        AreaAnswer(assessment=assessment, area=area)
        for area in LifeArea.objects.filter(active=True)
    )
    return assessment


def area_save(*, answer: AreaAnswer, revision: int, data: dict, by_client: bool) -> AreaAnswer:
    """Save what was written in one area, if nobody saved it since `revision` was read;
    otherwise raise Conflict with the stored answer, and store nothing."""
    assessment = answer.assessment
    if by_client and assessment.status != Status.SHARED:
        raise ValidationError(_("This assessment is not open for you to write in."))
    if not assessment.editable:
        raise ValidationError(_("A finished assessment cannot be changed."))
    allowed = CLIENT_FIELDS if by_client else WORKER_FIELDS
    changes = {k: v for k, v in data.items() if k in allowed}
    also: dict = {"updated_at": timezone.now()}
    if changes.get("client_account", answer.client_account) != answer.client_account:
        also["client_account_by"] = Writer.CLIENT if by_client else Writer.WORKER
    return save_at_revision(answer, revision, changes, also=also)


def assessment_share(*, assessment: Assessment) -> Assessment:
    if assessment.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be shared."))
    assessment.status = Status.SHARED
    assessment.shared_at = timezone.now()
    assessment.save(update_fields=["status", "shared_at"])
    return assessment


def client_view_record(
    *, assessment: Assessment, view: str, statement: str, revision: int
) -> Assessment:
    """The client's agreement, or dissent in their own words (written by either), if
    nobody recorded it since `revision` was read; otherwise raise Conflict."""
    if not assessment.editable:
        raise ValidationError(_("A finished assessment cannot be changed."))
    if view == ClientView.DISSENTS and not statement.strip():
        raise ValidationError(_("Say in the client's words what they do not agree with."))
    values = {"client_view": view, "client_statement": statement.strip()}
    return save_at_revision(assessment, revision, values, field="view_revision")


def instrument_record(
    *,
    assessment: Assessment,
    date: datetime.date,
    scores: dict[str, float],
    revision: int,
) -> Assessment:
    """The instrument's interview date and composite scores, if nobody saved them since
    `revision` was read; otherwise raise Conflict."""
    if not assessment.editable:
        raise ValidationError(_("A finished assessment cannot be changed."))
    values = {"instrument_date": date, "instrument_scores": scores}
    return save_at_revision(assessment, revision, values, field="instrument_revision")


def assessment_finish(
    *, actor: User, assessment: Assessment, view_revision: int | None = None
) -> Assessment:
    """Sign and finish: only with the client's agreement or stated dissent recorded, as
    the signer read it (`view_revision`, the revision of the client's view on their
    page): a view changed since is read before it is signed."""
    if not assessment.editable:
        raise ValidationError(_("The assessment is already finished."))
    if not assessment.client_view:
        raise ValidationError(
            _("Record whether the client agrees, or their dissent, before you finish.")
        )
    read = assessment.view_revision if view_revision is None else view_revision
    now = timezone.now()
    finished = (
        Assessment.objects.filter(pk=assessment.pk, view_revision=read)
        .exclude(status=Status.FINISHED)
        .update(status=Status.FINISHED, finished_at=now, signed_by=actor)
    )
    if not finished:
        assessment.refresh_from_db()
        if not assessment.editable:
            raise ValidationError(_("The assessment is already finished."))
        raise ValidationError(
            _("The client's view has changed since you opened the page. Read it, then finish.")
        )
    assessment.status, assessment.finished_at, assessment.signed_by = Status.FINISHED, now, actor
    return assessment
