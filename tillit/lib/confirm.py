"""An action that cannot be undone (signing an assessment or a plan) is asked about first,
one way everywhere (templates/confirm.html): its button opens the question in a <dialog>
on the page (static/tillit/confirm.js), and where scripts do not run the same button is a
GET of the action's URL, which shows the question on a page of its own. Confirm posts the
action; Cancel closes the dialog or goes back."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Confirmation:
    id: str  # of the dialog, unique on its page
    question: str
    consequence: str
    ask: str  # the button that asks
    yes: str  # the button that does it
    action: str  # the URL it posts to, and the page that asks without scripts
    back: str  # where Cancel goes from that page
    hidden: dict[str, str] = field(default_factory=dict)  # posted with it, as read
