"""Dependencies between Tillit's apps point one way: `lib` depends on no app; `org`, then
`audit`, then `clients` (persons, cases, the journal, the access policy) at the bottom; the
practice apps on top of `clients`, and not on each other; the municipality's duties that
span every record (`retention`) on top of all. An import that crosses that
direction fails here, unless it is one of the interfaces listed in CROSSINGS, each with the
reason it is allowed (docs/architecture.md, "Dependencies"). Imports only for type
checking (under `if TYPE_CHECKING:`) and tests are not dependencies."""

from __future__ import annotations

import ast
from pathlib import Path

TILLIT = Path(__file__).resolve().parents[1]
LAYERS = [{"lib"}, {"org"}, {"audit"}, {"clients"}, {"decisions"}]
FEATURES = {
    "assessment",
    "bam",
    "feedback",
    "groups",
    "network",
    "outcomes",
    "plans",
    "portal",
    "survey",
}
# The case flow's end, across the practice: closing, follow-up after it, the due list.
FLOW = {"evidence", "extracts", "followup"}
DUTIES = {"retention"}

# (importing module, imported app): why it is allowed. Remove an entry when its import goes.
CROSSINGS = {
    ("tillit.clients.access", "portal"): "a client's own person is found from their portal "
    "account (ClientAccount), the one place the policy meets the portal",
    ("tillit.clients.access", "groups"): "a group's page names several clients: its grant "
    "is the policy's (get_group_for)",
    ("tillit.clients.views", "feedback"): "the client's page counts open alerts in the query "
    "that reads the cases (feedback.queries.open_alerts)",
    ("tillit.clients.views", "groups"): "the client's page asks whether the person is in a "
    "group in the same query (groups.queries.in_a_group)",
    ("tillit.clients.views", "followup"): "the caseload and the unit page show the due list "
    "(followup.due.due_list), made from the dates of every app's records",
    ("tillit.clients.views", "portal"): "the journal shows whether an entry is shared with "
    "the client (portal.models.Release)",
    ("tillit.clients.management.commands.seed_demo", "*"): "the demo municipality is made "
    "of every app's demo data",
    ("tillit.audit.views", "clients"): "log review is a page about clients' records, built "
    "on the access policy; the audit models stay below clients",
    ("tillit.feedback.views", "outcomes"): "the checks chart marks when interventions began "
    "(outcomes.models.Intervention)",
    ("tillit.groups.views", "feedback"): "a group shows its members' group check "
    "(feedback.models.Response)",
    ("tillit.network.demo", "groups"): "demo data",
    ("tillit.portal.demo", "assessment"): "demo data",
    ("tillit.portal.views", "feedback"): "the client's own checks chart is the worker's "
    "(feedback.views.checks_over_meetings)",
    ("tillit.portal.views", "plans"): "the portal's start page links the client's plans",
}


def _app(module: str) -> str:
    return module.split(".")[1] if module.startswith("tillit.") and "." in module else ""


def _rank(app: str) -> int:
    for rank, layer in enumerate([*LAYERS, FEATURES, FLOW, DUTIES]):
        if app in layer:
            return rank
    return -1


def _imports(path: Path) -> list[str]:
    """The tillit modules `path` imports at run time."""
    tree = ast.parse(path.read_text(), str(path))
    type_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            type_only |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
    return [name for name in found if name.startswith("tillit.")]


def _modules():  # type: ignore[no-untyped-def]
    for path in sorted(TILLIT.rglob("*.py")):
        parts = path.relative_to(TILLIT.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts or parts[-1] in ("conftest", "factories"):
            continue
        yield ".".join(parts).removesuffix(".__init__"), path


def crossings() -> set[tuple[str, str]]:
    found = set()
    for module, path in _modules():
        app = _app(module)
        if _rank(app) < 0:  # settings, urls, wsgi: the project, above every app
            continue
        for imported in _imports(path):
            other = _app(imported)
            if other == app or _rank(other) < 0:
                continue
            upward = _rank(other) > _rank(app)
            sideways = app in FEATURES and other in FEATURES
            if upward or sideways:
                found.add((module, other))
    return found


def test_imports_point_down_or_through_a_listed_interface():
    allowed = {(module, app) for module, app in CROSSINGS} | {
        (module, other)
        for module, app in CROSSINGS
        if app == "*"
        for other in {"decisions"} | FEATURES | FLOW
    }
    unexpected = sorted(crossings() - allowed)
    assert unexpected == [], "an app imports against the direction (see CROSSINGS)"


def test_every_listed_interface_is_still_used():
    found = crossings()
    stale = [key for key in CROSSINGS if key[1] != "*" and key not in found]
    assert stale == [], "remove the crossings that no longer exist"


def test_the_check_sees_a_crossing(tmp_path):
    """The walk above can fail: a core module importing a practice app is caught."""
    path = tmp_path / "x.py"
    path.write_text(
        "from tillit.bam.models import Moment\nif TYPE_CHECKING:\n    import tillit.plans\n"
    )
    assert _imports(path) == ["tillit.bam.models"]
    assert _rank("clients") < _rank("bam")
