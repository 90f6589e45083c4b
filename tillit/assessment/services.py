"""Writes of the assessment: start, save one area (never silently over someone else's
words), share with the client, record the client's view, finish and sign."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F
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


class Conflict(Exception):
    """Someone saved the area after this writer opened it; `saved` is what is stored."""

    def __init__(self, saved: AreaAnswer) -> None:
        super().__init__("conflict")
        self.saved = saved


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
    otherwise raise Conflict with the stored text, and store nothing."""
    assessment = answer.assessment
    if by_client and assessment.status != Status.SHARED:
        raise ValidationError(_("This assessment is not open for you to write in."))
    if not assessment.editable:
        raise ValidationError(_("A finished assessment cannot be changed."))
    allowed = CLIENT_FIELDS if by_client else WORKER_FIELDS
    changes = {k: v for k, v in data.items() if k in allowed}
    if changes.get("client_account", answer.client_account) != answer.client_account:
        changes["client_account_by"] = Writer.CLIENT if by_client else Writer.WORKER
    saved = AreaAnswer.objects.filter(pk=answer.pk, revision=revision).update(
        **changes, revision=F("revision") + 1, updated_at=timezone.now()
    )
    if not saved:
        raise Conflict(AreaAnswer.objects.select_related("area").get(pk=answer.pk))
    answer.refresh_from_db()
    return answer


def assessment_share(*, assessment: Assessment) -> Assessment:
    if assessment.status != Status.DRAFT:
        raise ValidationError(_("Only a draft can be shared."))
    assessment.status = Status.SHARED
    assessment.shared_at = timezone.now()
    assessment.save(update_fields=["status", "shared_at"])
    return assessment


def client_view_record(*, assessment: Assessment, view: str, statement: str) -> Assessment:
    """The client's agreement, or dissent in their own words (written by either)."""
    if not assessment.editable:
        raise ValidationError(_("A finished assessment cannot be changed."))
    if view == ClientView.DISSENTS and not statement.strip():
        raise ValidationError(_("Say in the client's words what they do not agree with."))
    assessment.client_view = view
    assessment.client_statement = statement.strip()
    assessment.save(update_fields=["client_view", "client_statement"])
    return assessment


def assessment_finish(*, actor: User, assessment: Assessment) -> Assessment:
    """Sign and finish: only with the client's agreement or stated dissent recorded."""
    if not assessment.editable:
        raise ValidationError(_("The assessment is already finished."))
    if not assessment.client_view:
        raise ValidationError(
            _("Record whether the client agrees, or their dissent, before you finish.")
        )
    assessment.status = Status.FINISHED
    assessment.finished_at = timezone.now()
    assessment.signed_by = actor
    assessment.save(update_fields=["status", "finished_at", "signed_by"])
    return assessment
