"""Plans for tests, made with the real services."""

from __future__ import annotations

from tillit.plans import services
from tillit.plans.models import Doer, Plan


def plan_with_goals(case, worker, *, goals=1, steps=1, kind="care", state="draft") -> Plan:  # type: ignore[no-untyped-def]
    plan = services.plan_create(actor=worker, case=case, kind=kind, review_on=None)
    for g in range(goals):
        goal = services.goal_add(plan=plan, text=f"Mål {g + 1}: ett eget boende", why="Lugn")
        for s in range(steps):
            services.step_add(goal=goal, text=f"Steg {s + 1}", doer=Doer.CLIENT, due_on=None)
    if state in ("shared", "signed"):
        services.plan_share(actor=worker, plan=plan)
    if state == "signed":
        services.plan_sign(actor=worker, plan=plan)
    return plan


def url_objects(case, worker) -> dict:  # type: ignore[no-untyped-def]
    """The plans the URL walk (tillit/tests/test_urls.py) opens."""
    plan = plan_with_goals(case, worker)
    goal = plan.goals.get()
    participant = services.participant_add(
        plan=plan, name="Eva", agency="Vårdcentralen", role="", consent=False, consent_on=None
    )
    return {
        "participant": participant,
        "plan": plan,
        "goal": goal,
        "step": goal.steps.get(),
        "shared_plan": plan_with_goals(case, worker, state="shared"),
        "signed_plan": plan_with_goals(case, worker, state="signed"),
    }
