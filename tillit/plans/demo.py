"""Plans for the demo municipality (`manage.py seed_demo`): a signed care plan that the
client has accepted, followed up once and now being changed in a new version; and a
coordinated plan (SIP) with the primary care centre, shared with the client."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tillit.clients.models import Assignment, AssignmentRole
from tillit.plans import services
from tillit.plans.models import Doer, PlanKind


def seed_plans() -> None:
    contacts = (
        Assignment.objects.current()
        .filter(
            role=AssignmentRole.CONTACT_PERSON,
            case__closed_on__isnull=True,
            case__person__protected_identity=False,
        )
        .select_related("case__person", "worker")
        .order_by("case_id")[:2]
    )
    today = timezone.localdate()
    for n, assignment in enumerate(contacts):
        worker, case = assignment.worker, assignment.case
        if n == 0:
            plan = services.plan_create(
                actor=worker,
                case=case,
                kind=PlanKind.CARE,
                review_on=today + datetime.timedelta(days=60),
            )
            home = services.goal_add(
                plan=plan,
                text="Jag vill bo i en egen lägenhet och klara räkningarna själv.",
                why="Då kan min dotter sova över hos mig igen.",
            )
            services.step_add(
                goal=home,
                text="Ställa mig i bostadskön.",
                doer=Doer.CLIENT,
                due_on=today + datetime.timedelta(days=14),
            )
            services.step_add(
                goal=home,
                text="Hjälpa till med flytten.",
                doer=Doer.NETWORK,
                doer_name="Min bror Ali",
                due_on=None,
            )
            days = services.goal_add(
                plan=plan,
                text="Jag vill ha något att göra på dagarna som inte handlar om alkohol.",
                why="Kvällarna blir lättare när dagen har haft en form.",
            )
            services.step_add(
                goal=days,
                text="Prova gruppen på tisdagar.",
                doer=Doer.CLIENT,
                due_on=today + datetime.timedelta(days=7),
            )
            services.step_add(
                goal=days,
                text="Boka möte med arbetsförmedlingen.",
                doer=Doer.WORKER,
                due_on=today + datetime.timedelta(days=21),
            )
            services.plan_share(actor=worker, plan=plan)
            services.plan_sign(actor=worker, plan=plan)
            services.plan_respond(plan=plan, accepted=True, text="Det här är min plan.")
            services.review_add(
                actor=worker,
                plan=plan,
                held_on=today,
                happened="Står i bostadskön. Har varit på gruppen tre gånger.",
                changes="Arbetsförmedlingen får vänta; först en praktikplats.",
            )
            services.plan_new_version(actor=worker, plan=plan)
        else:
            plan = services.plan_create(
                actor=worker, case=case, kind=PlanKind.COORDINATED, review_on=None
            )
            services.goal_add(
                plan=plan,
                text="Jag vill sova bättre och slippa ångesten på nätterna.",
                why="Då orkar jag med allt annat.",
            )
            services.participant_add(
                plan=plan,
                name="Eva Ek",
                agency="Vårdcentralen Lillby",
                role="Läkare",
                consent=True,
                consent_on=today,
            )
            services.participant_add(
                plan=plan,
                name="Per Ås",
                agency="Psykiatrin",
                role="Sjuksköterska",
                consent=False,
                consent_on=None,
            )
            services.plan_share(actor=worker, plan=plan)
