"""Decisions for the demo municipality (`manage.py seed_demo` calls `seed`): a refusal with
the appeal information, told to the client by letter; a granted decision carried out; a
granted decision waiting more than three months, with the reason in words (on the unit's
list and in the report to IVO); and a decision replaced by a new one that ends its period
earlier."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.utils import timezone

from tillit.clients.models import Case
from tillit.decisions import services
from tillit.decisions.appeal import country_of, standard_text
from tillit.decisions.models import Country, Decision, Kind, Law, Outcome, Told
from tillit.org.models import User

LAW: dict[str, str] = {Country.SWEDEN: "se-sol-2025-assessed", Country.NORWAY: "no-hol-3-2"}
DELEGATION = "Delegationsordningen p. 3.1, enhetschef"


def _draft(worker: User, case: Case, **values) -> Decision:
    person = case.person
    country = country_of(person)
    values.setdefault("law", Law.objects.get(key=LAW.get(country, LAW[Country.SWEDEN])))
    values.setdefault("appeal_info", standard_text(country, person.preferred_language))
    values.setdefault("delegation", DELEGATION)
    return services.decision_create(actor=worker, case=case, **values)


def seed(cases: Sequence[Case], worker: User, today: datetime.date | None = None) -> list[Decision]:
    """Four stories on the first four of `cases` (open cases the worker may decide on;
    fewer cases carry fewer stories). Returns the decisions made."""
    today = today or timezone.localdate()
    ago = lambda days: today - datetime.timedelta(days=days)  # noqa: E731
    made: list[Decision] = []
    stories = list(cases[:4])

    if len(stories) > 0:  # refused, with the appeal information, told by letter
        refused = _draft(
            worker,
            stories[0],
            kind=Kind.PLACEMENT,
            what="Behandlingshem (HVB) i sex månader",
            outcome=Outcome.REFUSED,
            grounds=(
                "Du har ansökt om behandling på behandlingshem. Vi bedömer att ditt behov "
                "kan mötas i öppenvården, där du redan går i BaM-gruppen och har stöd i "
                "boendet. Därför avslås ansökan. Vi erbjuder i stället samtal två gånger "
                "i veckan."
            ),
        )
        services.decision_sign(actor=worker, decision=refused, on=ago(10))
        services.decision_communicated(decision=refused, on=ago(8), how=Told.LETTER)
        made.append(refused)

    if len(stories) > 1:  # granted and carried out
        granted = _draft(
            worker,
            stories[1],
            kind=Kind.SUPPORT,
            what="Boendestöd två timmar i veckan",
            outcome=Outcome.GRANTED,
            starts_on=ago(60),
            ends_on=today + datetime.timedelta(days=120),
            grounds="Du behöver stöd i vardagen för att klara boendet. Ansökan beviljas.",
        )
        services.decision_sign(actor=worker, decision=granted, on=ago(62))
        services.decision_communicated(decision=granted, on=ago(61), how=Told.MEETING)
        Decision.objects.filter(pk=granted.pk).update(carried_out_on=ago(55))
        made.append(granted)

    if len(stories) > 2:  # granted, waiting more than three months, with the reason
        waiting = _draft(
            worker,
            stories[2],
            kind=Kind.HOUSING,
            what="Träningslägenhet",
            outcome=Outcome.GRANTED,
            starts_on=ago(120),
            grounds="Du behöver ett eget boende med stöd för att kunna bo kvar i kommunen.",
        )
        services.decision_sign(actor=worker, decision=waiting, on=ago(120))
        services.decision_communicated(decision=waiting, on=ago(118), how=Told.PHONE)
        waiting.refresh_from_db()
        services.decision_delay_reason(
            decision=waiting,
            reason="Ingen ledig träningslägenhet. Erbjuden plats i kö; boendestöd under tiden.",
        )
        made.append(waiting)

    if len(stories) > 3:  # granted, then ended early by a new decision
        first = _draft(
            worker,
            stories[3],
            kind=Kind.OUTPATIENT,
            what="Öppenvårdsbehandling (CRA) ett år",
            outcome=Outcome.GRANTED,
            starts_on=ago(200),
            ends_on=ago(200) + datetime.timedelta(days=365),
            grounds="Du har ansökt om behandling för ditt alkoholbruk. Ansökan beviljas.",
        )
        services.decision_sign(actor=worker, decision=first, on=ago(205))
        services.decision_communicated(decision=first, on=ago(204), how=Told.DIGITAL)
        Decision.objects.filter(pk=first.pk).update(carried_out_on=ago(198))
        first.refresh_from_db()
        ended = _draft(
            worker,
            stories[3],
            replaces=first,
            **{
                **services.replacement_initial(first),
                "ends_on": ago(5),
                "grounds": (
                    "Du har nått målen med behandlingen och vill själv avsluta den. Insatsen "
                    "avslutas i förtid."
                ),
            },
        )
        services.decision_sign(actor=worker, decision=ended, on=ago(5))
        services.decision_communicated(decision=ended, on=ago(5), how=Told.MEETING)
        made += [first, ended]
    return made
