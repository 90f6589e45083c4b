"""Decisions for tests, made with the real services."""

from __future__ import annotations

import datetime

from tillit.decisions import services
from tillit.decisions.appeal import standard_text
from tillit.decisions.models import Decision, Law


def law(key: str = "se-sol-2025-assessed") -> Law:
    return Law.objects.get(key=key)


def decision(  # type: ignore[no-untyped-def]
    case,
    worker,
    *,
    state: str = "draft",
    on: datetime.date | None = None,
    **values,
) -> Decision:
    values = {
        "kind": "support",
        "what": "Boendestöd",
        "outcome": "granted",
        "law": law(),
        "grounds": "Behovet är styrkt.",
        "appeal_info": standard_text("SE", "sv"),
        **values,
    }
    made = services.decision_create(actor=worker, case=case, **values)
    if state == "signed":
        made = services.decision_sign(actor=worker, decision=made, on=on)
    return made


def url_objects(case, worker) -> dict:  # type: ignore[no-untyped-def]
    """The decisions the URL walk (tillit/tests/test_urls.py) opens: a draft, and a signed
    decision waiting to be carried out."""
    return {
        "decision": decision(case, worker),
        "signed_decision": decision(case, worker, state="signed"),
    }
