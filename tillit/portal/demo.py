"""The demo municipality's client with a portal login (`make demo`): notes shared with
them, a comment of their own, and an assessment shared with them, partly written."""

from __future__ import annotations

from tillit.assessment import services as assessment_services
from tillit.clients.models import AssignmentRole, Case, EntryStatus, JournalEntry
from tillit.portal import services

USERNAME = "klient"
AREAS = {
    "housing": (
        "Jag bor hos min syster sedan i våras. Det är trångt och jag vill ha något eget.",
        "Boendet hos systern är tryggt men tillfälligt; hon har sagt att det räcker till sommaren.",
        "Ett eget boende är det viktigaste just nu.",
    ),
    "alcohol": (
        "Jag dricker mindre än förut, mest på helger när jag är ensam.",
        "Berättar om färre återfall; helgkvällar ensam är en återkommande risksituation.",
        "",
    ),
}


def load(password: str) -> None:
    case = (
        Case.objects.open()
        .filter(
            person__protected_identity=False,
            assignments__worker__username="anna",
            assignments__role=AssignmentRole.CONTACT_PERSON,
            assignments__ended_on=None,
        )
        .select_related("person")
        .order_by("person__last_name", "pk")
        .first()
    )
    if case is None:
        return
    services.account_create(person=case.person, username=USERNAME, password=password)
    anna = case.assignments.get(worker__username="anna", ended_on=None).worker
    signed = JournalEntry.objects.filter(case=case, status=EntryStatus.SIGNED).current()
    for entry in signed[:3]:
        services.entry_release(actor=anna, entry=entry)
    first = signed.first()
    if first is not None:
        services.comment_add(
            person=case.person,
            entry=first,
            text="Det var inte riktigt så jag menade. Jag sa att jag vill försöka, "
            "inte att jag lovar.",
        )
    assessment = assessment_services.assessment_start(actor=anna, case=case)
    assessment_services.assessment_share(assessment=assessment)
    for answer in assessment.answers.select_related("area").filter(area__key__in=AREAS):
        account, reflection, agreed = AREAS[answer.area.key]
        data = {"client_account": account, "worker_reflection": reflection, "agreed": agreed}
        assessment_services.area_save(answer=answer, revision=1, data=data, by_client=False)
