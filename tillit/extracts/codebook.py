"""The codebook: every table and column an extract can hold, grouped as the evaluator
orders them, with their types and codes. The order form, the codebook page, the producer
(tillit/extracts/produce.py) and the codebook in the zip (codebook.md, codebook.json) are
all read from here, so what is documented is what is written.

What is never in an extract, whatever is ordered: names, identity numbers, free text of
any kind (journal text, the client's words, grounds, notes, reasons in words, what was
applied for, the name of an intervention) and exact dates. A person, a case and a worker
are pseudonymous codes, keyed per study (tillit/extracts/pseudonyms.py); every date is a
number of days since the case opened."""

from __future__ import annotations

import builtins
import json
from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tillit.clients.models import AssignmentRole, CaseStatus, HandoverState, Origin
from tillit.decisions.models import Kind, Outcome
from tillit.decisions.models import Origin as DecisionOrigin
from tillit.feedback.models import AlertResponse, AlertRule
from tillit.feedback.models import Channel as CheckChannel
from tillit.followup.models import Change, Housing, Occupation, Reason, State, Substance
from tillit.followup.models import Channel as FollowUpChannel
from tillit.outcomes.models import PlacementForm, ProviderKind

# The smallest group of persons that shares a row's quasi-identifiers (k-anonymity).
K = 5
AGE_BANDS = (5, 10)  # years: as ordered, then generalised
OLDEST = 90  # ages from here are one band, "90+", at every level


@dataclass(frozen=True)
class Group:
    key: str
    label: Promise
    about: Promise


GROUPS = [
    Group(
        "demographics",
        gettext_lazy("Age band and sex"),
        gettext_lazy(
            "Age at the start of the case in 5-year bands, and sex, both from the identity "
            "number (empty where there is none)."
        ),
    ),
    Group(
        "case_dates",
        gettext_lazy("Case dates"),
        gettext_lazy(
            "When intake decided on the inquiry and when the case closed, as days since it "
            "opened; hand-overs between units."
        ),
    ),
    Group(
        "assignments",
        gettext_lazy("Contact persons"),
        gettext_lazy("Who worked on the case and when, as pseudonymous worker codes."),
    ),
    Group(
        "checks",
        gettext_lazy("Relationship and life checks"),
        gettext_lazy("Each check's score per meeting, and the alerts they raised."),
    ),
    Group(
        "interventions",
        gettext_lazy("Interventions and methods"),
        gettext_lazy("Kind, form of placement, method, own or purchased, from and to."),
    ),
    Group(
        "decisions",
        gettext_lazy("Decisions"),
        gettext_lazy("Signed decisions: kind, outcome, law and their days."),
    ),
    Group(
        "closings",
        gettext_lazy("Closings"),
        gettext_lazy("Why each case closed, and when."),
    ),
    Group(
        "followups",
        gettext_lazy("Follow-ups"),
        gettext_lazy("Each follow-up after closing: held or not, the change since, and when."),
    ),
]
GROUP_KEYS = [g.key for g in GROUPS]


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "string", "int", "float" or "bool"
    about: Promise
    codes: builtins.type[models.TextChoices] | None = None
    group: str = ""  # the group that adds it to its table ("" = always with the table)
    text: bool = False  # typed by staff (a unit's name): made safe for spreadsheets


@dataclass(frozen=True)
class Table:
    name: str
    about: Promise
    columns: tuple[Column, ...]
    group: str = ""  # the group that brings the table ("" = always)
    per_case: bool = True
    notes: tuple[Promise, ...] = field(default=())

    def columns_for(self, groups: list[str]) -> list[Column]:
        return [c for c in self.columns if not c.group or c.group in groups]


def _day(name: str, about: Promise, group: str = "") -> Column:
    return Column(name, "int", about, group=group)


CASE = Column("case", "string", gettext_lazy("The case's code in this study."))
PERSON = Column(
    "person",
    "string",
    gettext_lazy("The person's pseudonym in this study (the same in each table)."),
)

TABLES = [
    Table(
        "units",
        gettext_lazy("The units in the extract, with the functions each performs."),
        (
            Column("unit", "int", gettext_lazy("The unit's number.")),
            Column("name", "string", gettext_lazy("The unit's name."), text=True),
            Column("parent", "int", gettext_lazy("The number of the unit it is part of.")),
            Column("intake", "bool", gettext_lazy("The unit does intake.")),
            Column("assessment", "bool", gettext_lazy("The unit assesses.")),
            Column("intervention", "bool", gettext_lazy("The unit gives interventions.")),
            Column("follow_up", "bool", gettext_lazy("The unit follows up.")),
        ),
        per_case=False,
    ),
    Table(
        "cases",
        gettext_lazy(
            "One row per case (a period of a person's contact with one unit) in the units "
            "that was open some time in the period."
        ),
        (
            CASE,
            PERSON,
            Column("unit", "int", gettext_lazy("The unit's number (see units).")),
            Column(
                "start_year",
                "int",
                gettext_lazy(
                    "The year the case opened; empty where it was left out (k-anonymity)."
                ),
            ),
            Column(
                "age_band",
                "string",
                gettext_lazy(
                    "Age when the case opened: a 5-year band (35-39), a 10-year band (30-39) "
                    "where the 5-year band would single someone out, 90+, or empty when unknown."
                ),
                group="demographics",
            ),
            Column(
                "sex",
                "string",
                gettext_lazy(
                    "F or M as the identity number records it (not gender identity); empty "
                    "when unknown."
                ),
                group="demographics",
            ),
            Column(
                "generalised",
                "int",
                gettext_lazy(
                    "How far the row was generalised for k-anonymity: 0 not at all, 1 age in "
                    "10-year bands, 2 also without the year."
                ),
            ),
            Column("origin", "string", gettext_lazy("How the case started."), Origin),
            Column("status", "string", gettext_lazy("The case's status now."), CaseStatus),
            Column(
                "previous_case",
                "string",
                gettext_lazy(
                    "The code of the earlier period this case reopened, if in the extract."
                ),
            ),
            Column(
                "assess",
                "bool",
                gettext_lazy("Intake's decision: whether an assessment was opened."),
                group="case_dates",
            ),
            _day(
                "assess_day",
                gettext_lazy("Days from opening to intake's decision."),
                "case_dates",
            ),
            _day("closed_day", gettext_lazy("Days from opening to closing."), "case_dates"),
        ),
    ),
    Table(
        "handovers",
        gettext_lazy("Cases handed from one unit to another."),
        (
            CASE,
            Column("from_unit", "int", gettext_lazy("The sending unit's number.")),
            Column("to_unit", "int", gettext_lazy("The receiving unit's number.")),
            Column("state", "string", gettext_lazy("The receiving unit's answer."), HandoverState),
            _day("sent_day", gettext_lazy("Days from opening to the hand-over.")),
            _day("decided_day", gettext_lazy("Days from opening to the receiving unit's answer.")),
        ),
        group="case_dates",
    ),
    Table(
        "assignments",
        gettext_lazy(
            "Each worker's time on a case, never overwritten: continuity can be measured."
        ),
        (
            CASE,
            Column(
                "worker",
                "string",
                gettext_lazy(
                    "The worker's code in this study (the same worker has the same code)."
                ),
            ),
            Column(
                "role", "string", gettext_lazy("The worker's role on the case."), AssignmentRole
            ),
            _day("start_day", gettext_lazy("Days from opening to the start.")),
            _day("end_day", gettext_lazy("Days from opening to the end; empty while it lasts.")),
        ),
        group="assignments",
    ),
    Table(
        "checks",
        gettext_lazy(
            "The client's answers to a check after (or before) a meeting, as a score on the "
            "instrument's scale; no open answer."
        ),
        (
            CASE,
            PERSON,
            Column(
                "instrument",
                "string",
                gettext_lazy("The check: relationship, life or another instrument's key."),
            ),
            _day("day", gettext_lazy("Days from opening to the answers.")),
            Column("score", "float", gettext_lazy("The score, as the instrument scores it.")),
            Column("channel", "string", gettext_lazy("How the answers were given."), CheckChannel),
            Column(
                "worker",
                "string",
                gettext_lazy("The code of the worker the client answered about."),
            ),
        ),
        group="checks",
    ),
    Table(
        "alerts",
        gettext_lazy("Alerts the checks raised, and what was done; never the note."),
        (
            CASE,
            Column("rule", "string", gettext_lazy("The rule that raised it."), AlertRule),
            _day("opened_day", gettext_lazy("Days from opening to the alert.")),
            _day("closed_day", gettext_lazy("Days from opening until it was closed.")),
            Column("response", "string", gettext_lazy("What was done."), AlertResponse),
        ),
        group="checks",
    ),
    Table(
        "interventions",
        gettext_lazy("Interventions carried out; never their name in words."),
        (
            CASE,
            Column("kind", "string", gettext_lazy("The kind of help."), Kind),
            Column("placement_form", "string", gettext_lazy("A placement's form."), PlacementForm),
            Column("method", "string", gettext_lazy("The method's key in the methods register.")),
            Column("purchased", "bool", gettext_lazy("Bought from a provider (else own staff).")),
            Column("provider_kind", "string", gettext_lazy("The kind of provider."), ProviderKind),
            _day("start_day", gettext_lazy("Days from opening to the start.")),
            _day("end_day", gettext_lazy("Days from opening to the end; empty while it lasts.")),
        ),
        group="interventions",
    ),
    Table(
        "decisions",
        gettext_lazy(
            "Signed decisions; never what was applied for, the grounds or the delegation."
        ),
        (
            CASE,
            Column("kind", "string", gettext_lazy("The kind of help."), Kind),
            Column("origin", "string", gettext_lazy("Applied for or offered."), DecisionOrigin),
            Column("outcome", "string", gettext_lazy("The decision."), Outcome),
            Column("law", "string", gettext_lazy("The provision's key (decisions/laws.py).")),
            _day("decided_day", gettext_lazy("Days from opening to the decision.")),
            _day("starts_day", gettext_lazy("Days from opening to when it applies from.")),
            _day("ends_day", gettext_lazy("Days from opening to when it applies until.")),
            _day("told_day", gettext_lazy("Days from opening until the client was told.")),
            _day(
                "carried_out_day",
                gettext_lazy("Days from opening until the first intervention carrying it out."),
            ),
            Column("replaces", "bool", gettext_lazy("It replaces an earlier decision.")),
        ),
        group="decisions",
    ),
    Table(
        "closings",
        gettext_lazy("How each case closed; never the reason in words or the client's summary."),
        (
            CASE,
            Column("reason", "string", gettext_lazy("Why the case closed."), Reason),
            _day("closed_day", gettext_lazy("Days from opening to closing.")),
        ),
        group="closings",
    ),
    Table(
        "followups",
        gettext_lazy("Follow-ups after closing; never the client's words."),
        (
            CASE,
            Column("state", "string", gettext_lazy("Held, not reached, due or cancelled."), State),
            _day("due_day", gettext_lazy("Days from opening to when it was due.")),
            _day("held_day", gettext_lazy("Days from opening to when it was held.")),
            Column("channel", "string", gettext_lazy("How it was held."), FollowUpChannel),
            Column("change", "string", gettext_lazy("The change since closing."), Change),
            Column("substance", "string", gettext_lazy("Alcohol, drugs or the habit."), Substance),
            Column("housing", "string", gettext_lazy("Housing."), Housing),
            Column("occupation", "string", gettext_lazy("Work or studies."), Occupation),
            Column("sought_help", "bool", gettext_lazy("Has sought help again.")),
        ),
        group="followups",
    ),
]
TABLE = {t.name: t for t in TABLES}

QUASI_IDENTIFIERS = gettext_lazy("age band, sex (when ordered), unit and the year the case opened")


def tables_for(groups: list[str]) -> list[Table]:
    return [t for t in TABLES if not t.group or t.group in groups]


def _notes() -> list[str]:
    return [
        _(
            "A person, a case and a worker are codes made for this study with a keyed hash "
            "(HMAC-SHA256) and a secret that never leaves Tillit: the same in every table of "
            "this study, different in every other study, and not to be turned back."
        ),
        _(
            "Every date is a number of days since the case opened (day 0); none is given as "
            "a date. The year the case opened is the only calendar time, and it is left out "
            "where it would single someone out."
        ),
        _(
            "Cases are those of the units (and the units below them) that were open some "
            "time in the period. Their records dated in the period are included; an "
            "assignment or intervention is included if it ran some time in it."
        ),
        _(
            "Before release every case is checked for k-anonymity with k = %(k)d on the "
            "quasi-identifiers (%(quasi)s), counting persons: a case whose combination fewer "
            "than %(k)d persons share gets its age in 10-year bands, then loses its year, and "
            "is left out, with every row about it, if it is still too rare. The release "
            "report says how many."
        )
        % {"k": K, "quasi": QUASI_IDENTIFIERS},
        _(
            "Never in an extract: names, identity numbers, free text (journal text, the "
            "client's words, grounds, notes, reasons in words), exact dates."
        ),
        _(
            "Files: each table as CSV (UTF-8, comma-separated, a header row, an empty cell "
            "for a missing value) and as Parquet with the same columns."
        ),
    ]


def as_dict(groups: list[str] | None = None) -> dict:
    """The codebook of the tables `groups` bring (all when None), in the active language."""
    chosen = GROUP_KEYS if groups is None else groups
    return {
        "notes": _notes(),
        "k": K,
        "groups": [
            {"key": g.key, "label": str(g.label), "about": str(g.about)}
            for g in GROUPS
            if g.key in chosen
        ],
        "tables": [
            {
                "name": t.name,
                "about": str(t.about),
                "columns": [
                    {
                        "name": c.name,
                        "type": c.kind,
                        "about": str(c.about),
                        **(
                            {"codes": {value: str(label) for value, label in c.codes.choices}}
                            if c.codes
                            else {}
                        ),
                    }
                    for c in t.columns_for(chosen)
                ],
            }
            for t in tables_for(chosen)
        ],
    }


def as_json(groups: list[str] | None = None) -> str:
    return json.dumps(as_dict(groups), ensure_ascii=False, indent=2) + "\n"


def as_markdown(groups: list[str] | None = None) -> str:
    book = as_dict(groups)
    title, column_, type_, meaning = _("Codebook"), _("column"), _("type"), _("meaning")
    lines = [f"# {title}", ""]
    lines += [f"- {note}" for note in book["notes"]]
    for table in book["tables"]:
        lines += ["", f"## {table['name']}", "", table["about"], ""]
        lines += [f"| {column_} | {type_} | {meaning} |", "|---|---|---|"]
        for column in table["columns"]:
            about = column["about"]
            if "codes" in column:
                codes = "; ".join(f"`{v}` {label}" for v, label in column["codes"].items())
                about = f"{about} {codes}"
            lines.append(f"| `{column['name']}` | {column['type']} | {about} |")
    return "\n".join(lines) + "\n"
