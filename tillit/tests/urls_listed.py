"""Every URL pattern of Tillit with what it shows, which methods it takes, who may open
it and what its audit row says: the list the URLconf walk (tillit/tests/test_urls.py)
and the header walk (tillit/tests/test_headers.py) go through."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import timezone

PUBLIC, AUTHENTICATED, CLIENT_DATA, ADMIN = "public", "authenticated", "client_data", "admin"
STAFF = ["worker", "colleague", "outsider", "leader", "other_leader", "administrator"]
CLIENTS = ["client_self", "client_other"]
PERSONAS = STAFF + CLIENTS
# Each client's own pages in the portal: the person comes from the login, never the URL.
OWN = frozenset(CLIENTS)
# Staff data for team leaders and managers (no client data, no audit row); everyone else
# gets 403. See tillit/org/tests/test_methods.py.
LEADERS = "leaders"
# Staff data of one unit for its own staff (workers and team leaders; another unit's get
# 404), no client and no audit row: a unit's services without needs assessment
# (tillit/outcomes/visits.py).
UNIT_STAFF = "unit_staff"


@dataclass
class Url:
    category: str
    method: str = "get"
    args: str = ""  # the fixture whose pk goes in the URL
    data: dict = field(default_factory=dict)
    allowed: frozenset = frozenset({"worker", "leader"})
    forbidden: frozenset = frozenset({"colleague"})  # 403; the rest get 404
    action: str = "read"  # what an allowed request's audit row says it did
    # A view that shows a form on GET and acts on POST: what the other method sends, and
    # what its row then says (a GET is recorded as a read, whatever it was checked for).
    post: dict | None = None
    post_action: str = ""
    get_too: bool = False  # a POST view whose form also opens on its own page

    def methods(self) -> dict[str, tuple[dict, str]]:
        """Each method the view takes, with what to send and the action to record."""
        methods = {self.method: (self.data, self.action)}
        if self.post is not None:
            methods["post"] = (self.post, self.post_action)
        if self.get_too:
            methods["get"] = ({}, "read")
        return methods


NOW = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
ENTRY = {"happened_at": NOW, "kind": "phone", "text": "Called."}
TODAY = timezone.localdate().isoformat()
DECISION = {
    "kind": "support",
    "origin": "applied",
    "what": "Boendestöd",
    "outcome": "granted",
    "law": "se-sol-2025-assessed",
}
URLS = {
    "login": Url(PUBLIC, post={"username": "x", "password": "y"}),
    "logout": Url(PUBLIC, "post"),
    "set_language": Url(PUBLIC, "post"),
    "home": Url(AUTHENTICATED),
    "clients:person_new": Url(AUTHENTICATED, post={"first_name": ""}),
    "clients:emergency": Url(AUTHENTICATED, post={"reason": ""}),
    # Lists of the user's own clients: every persona may open it, each look is logged.
    "clients:caseload": Url(CLIENT_DATA, allowed=frozenset(STAFF), forbidden=frozenset()),
    # Finding clients again, closed cases too: for those who work with clients, each finding
    # only whom they may open; the administrator has none to find (403). A number is POSTed.
    # "i" is in the walk's client's name and in the protected person's.
    "clients:search": Url(
        CLIENT_DATA,
        data={"q": "i"},
        allowed=frozenset(STAFF) - {"administrator"},
        forbidden=frozenset({"administrator"}),
        post={"lookup-id_country": "se", "lookup-id_number": "19811228-9874"},
        post_action="read",
    ),
    "clients:closed": Url(
        CLIENT_DATA,
        allowed=frozenset(STAFF) - {"administrator"},
        forbidden=frozenset({"administrator"}),
    ),
    "clients:person": Url(CLIENT_DATA, args="person"),
    "clients:entry_create": Url(CLIENT_DATA, "post", "case", ENTRY, action="create", get_too=True),
    "clients:entry_edit": Url(
        CLIENT_DATA,
        args="draft",
        allowed=frozenset({"worker"}),
        forbidden=frozenset({"colleague", "leader"}),
        post={**ENTRY, "revision": 1},  # as read: a new draft's
        post_action="update",
    ),
    "clients:entry_sign": Url(
        CLIENT_DATA,
        "post",
        "draft",
        allowed=frozenset({"worker"}),
        forbidden=frozenset({"colleague", "leader"}),
        action="sign",
    ),
    "clients:entry_correct": Url(
        CLIENT_DATA, args="entry", post={**ENTRY, "reason": "Wrong day"}, post_action="correct"
    ),
    "clients:case_assign": Url(
        CLIENT_DATA,
        "post",
        "case",
        {"worker": "colleague"},
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
        action="assign",
        get_too=True,  # the form on a page of its own, linked from the unit page
    ),
    "clients:case_inquiry": Url(
        CLIENT_DATA, "post", "case", {"assess": "yes", "reason": "Asks."}, action="update"
    ),
    "clients:case_handover": Url(
        CLIENT_DATA, "post", "case", {"to_unit": "", "note": "Over to you."}, action="update"
    ),
    # A hand-over waiting for another unit is that unit's team leader's to decide.
    "clients:handover_accept": Url(
        CLIENT_DATA,
        "post",
        "handover",
        {"worker": ""},
        allowed=frozenset({"other_leader"}),
        forbidden=frozenset({"outsider"}),  # a worker of the receiving unit
        action="assign",
    ),
    "clients:handover_decline": Url(
        CLIENT_DATA,
        "post",
        "handover",
        {"reason": "No room."},
        allowed=frozenset({"other_leader"}),
        forbidden=frozenset({"outsider"}),  # a worker of the receiving unit
        action="update",
    ),
    "feedback:mine": Url(CLIENT_DATA, allowed=frozenset(STAFF), forbidden=frozenset()),
    "feedback:meeting": Url(
        CLIENT_DATA, args="entry", post={"when": "after", "how": "paper"}, post_action="create"
    ),
    "feedback:paper": Url(CLIENT_DATA, args="entry", post={}, post_action="create"),
    "feedback:person": Url(CLIENT_DATA, args="person"),
    "feedback:alert_close": Url(
        CLIENT_DATA, args="alert", post={"response": ""}, post_action="update"
    ),
    # The client-facing screens show questions only, never record data; see
    # tillit/feedback/tests/test_collect.py for their audit and lock.
    "feedback:answer": Url(AUTHENTICATED, post={}),
    "feedback:unlock": Url(AUTHENTICATED, post={"password": ""}),
    "feedback:link": Url(PUBLIC, post={}),
    "clients:unit": Url(
        CLIENT_DATA,
        args="unit",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "portal:login": Url(PUBLIC, post={"username": "x", "password": "y"}),
    "portal:activate": Url(PUBLIC, post={"code": "x"}),
    "portal:home": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:feedback": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:readers": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "portal:comment": Url(
        CLIENT_DATA,
        "post",
        "released",
        {"text": "Not how I see it."},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
        action="create",
    ),
    # The person has a login: a new code would replace it, so it is the team leader's.
    "portal:code_new": Url(
        CLIENT_DATA,
        "post",
        "person",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
        action="create",
    ),
    "portal:release": Url(CLIENT_DATA, "post", "entry", action="update"),
    "assessment:person": Url(CLIENT_DATA, args="person"),
    "assessment:start": Url(CLIENT_DATA, "post", "case", action="create"),
    "assessment:detail": Url(CLIENT_DATA, args="assessment"),
    "assessment:area_save": Url(CLIENT_DATA, "post", "answer", action="update"),
    "assessment:share": Url(CLIENT_DATA, "post", "assessment", action="update"),
    "assessment:view": Url(
        CLIENT_DATA, "post", "assessment", {"view": "agrees", "revision": 1}, action="update"
    ),
    "assessment:finish": Url(CLIENT_DATA, "post", "assessment", action="sign", get_too=True),
    "assessment:instrument": Url(
        CLIENT_DATA, "post", "assessment", {"date": "2026-01-05", "revision": 1}, action="update"
    ),
    "assessment:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "assessment:client_area_save": Url(
        CLIENT_DATA,
        "post",
        "shared_answer",
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
        action="create",
    ),
    "assessment:client_view": Url(
        CLIENT_DATA,
        "post",
        "shared_assessment",
        {"view": "agrees", "revision": 1},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
        action="create",
    ),
    "outcomes:person": Url(CLIENT_DATA, args="person"),
    "outcomes:add": Url(
        CLIENT_DATA,
        "post",
        "case",
        {"kind": "method", "method": "bam", "name": "BaM", "started_on": "2026-01-05"},
        action="create",
    ),
    "outcomes:end": Url(
        CLIENT_DATA, "post", "intervention", {"ended_on": "2026-02-01"}, action="update"
    ),
    # Counts and the register of providers, no client: for team leaders and managers.
    "outcomes:november": Url(LEADERS),
    "outcomes:november_csv": Url(LEADERS),
    "outcomes:providers": Url(LEADERS),
    # Services without needs assessment (tillit/outcomes/visits.py): the services page is
    # every staff member's (adding a service is a team leader's), a service's visit form
    # its unit's staff's; visits are counted, no client. Linking a visit to a client is a
    # change to the client's record; the counts are for team leaders and managers.
    "outcomes:low_threshold": Url(AUTHENTICATED, post={"unit": "", "name": ""}),
    "outcomes:visit_new": Url(
        UNIT_STAFF, args="low_threshold_service", post={"day": TODAY, "persons": "1"}
    ),
    "outcomes:service_active": Url(UNIT_STAFF, "post", "low_threshold_service", {"active": "0"}),
    "outcomes:visit_link": Url(
        CLIENT_DATA,
        args="person",
        post={"visit": "", "consent": "on", "consent_on": TODAY},
        post_action="update",
    ),
    "outcomes:visit_statistics": Url(LEADERS),
    "outcomes:visit_statistics_csv": Url(LEADERS),
    "bam:person": Url(CLIENT_DATA, args="person"),
    "bam:patterns": Url(CLIENT_DATA, args="person"),
    "bam:moment_new": Url(
        CLIENT_DATA,
        "post",
        "case",
        {"kind": "weak", "happened_at": NOW, "title": "Payday"},
        action="create",
        get_too=True,
    ),
    "bam:board": Url(CLIENT_DATA, args="moment"),
    "bam:board_mode": Url(CLIENT_DATA, args="moment"),
    "bam:moment_edit": Url(
        CLIENT_DATA,
        args="moment",
        post={"kind": "weak", "happened_at": NOW, "title": "Payday, again", "revision": 1},
        post_action="update",
    ),
    "bam:note_add": Url(
        CLIENT_DATA,
        "post",
        "moment",
        {"column": "antecedent", "text": "Payday, alone"},
        action="create",
    ),
    "org:methods": Url(LEADERS),
    # One's own sessions: staff data of one's own; ending another is a security event.
    "org:sessions": Url(AUTHENTICATED, post={"end": "others"}),
    "bam:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "bam:mine_new": Url(
        CLIENT_DATA,
        "post",
        data={"kind": "strong", "happened_at": NOW, "title": "Sa nej"},
        allowed=frozenset({"client_self"}),  # the other client has no open case
        forbidden=frozenset(),
        action="create",
    ),
    "plans:person": Url(CLIENT_DATA, args="person", post={"kind": "care"}, post_action="create"),
    "plans:plan": Url(CLIENT_DATA, args="plan"),
    "plans:goal_add": Url(
        CLIENT_DATA, "post", "plan", {"text": "Ett eget boende", "why": ""}, action="update"
    ),
    "plans:goal_edit": Url(
        CLIENT_DATA, "post", "goal", {"text": "Jobb", "why": "", "revision": 1}, action="update"
    ),
    "plans:step_add": Url(
        CLIENT_DATA, "post", "goal", {"text": "Ringa", "doer": "client"}, action="update"
    ),
    "plans:step_edit": Url(
        CLIENT_DATA,
        "post",
        "step",
        {"text": "Ringa", "doer": "client", "revision": 1},
        action="update",
    ),
    "plans:goal_remove": Url(CLIENT_DATA, "post", "goal", action="update"),
    "plans:step_remove": Url(CLIENT_DATA, "post", "step", action="update"),
    "plans:consent": Url(CLIENT_DATA, "post", "participant", {"consent": "yes"}, action="update"),
    "plans:participant_add": Url(
        CLIENT_DATA,
        "post",
        "plan",
        {"name": "Eva", "agency": "Vårdcentralen"},
        action="update",
    ),
    "plans:review_add": Url(
        CLIENT_DATA,
        "post",
        "plan",
        {"held_on": "2026-01-10", "happened": "Det gick bra."},
        action="update",
    ),
    "plans:share": Url(CLIENT_DATA, "post", "plan", action="update"),
    "plans:sign": Url(CLIENT_DATA, "post", "shared_plan", action="sign", get_too=True),
    "plans:new_version": Url(CLIENT_DATA, "post", "signed_plan", action="correct"),
    "plans:pdf": Url(CLIENT_DATA, args="signed_plan", action="print"),
    "plans:mine": Url(CLIENT_DATA, allowed=OWN, forbidden=frozenset()),
    "plans:own": Url(
        CLIENT_DATA, args="shared_plan", allowed=frozenset({"client_self"}), forbidden=frozenset()
    ),
    "plans:respond": Url(
        CLIENT_DATA,
        "post",
        "signed_plan",
        {"accepted": "yes"},
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
        action="create",
    ),
    "plans:own_pdf": Url(
        CLIENT_DATA,
        args="signed_plan",
        allowed=frozenset({"client_self"}),
        forbidden=frozenset(),
        action="print",
    ),
    # Decisions (tillit/decisions): a draft ("decision") and a signed, granted decision
    # not yet carried out ("signed_decision"); the law is chosen by its key.
    "decisions:person": Url(CLIENT_DATA, args="person"),
    "decisions:new": Url(CLIENT_DATA, args="case", post=DECISION, post_action="create"),
    "decisions:decision": Url(CLIENT_DATA, args="decision"),
    "decisions:edit": Url(
        CLIENT_DATA, "post", "decision", {**DECISION, "revision": 1}, action="update"
    ),
    "decisions:sign": Url(CLIENT_DATA, "post", "decision", action="sign", get_too=True),
    "decisions:discard": Url(CLIENT_DATA, "post", "decision", action="update"),
    "decisions:replace": Url(
        CLIENT_DATA, args="signed_decision", post=DECISION, post_action="create"
    ),
    "decisions:communicated": Url(
        CLIENT_DATA,
        "post",
        "signed_decision",
        {"communicated_on": TODAY, "communicated_how": "letter"},
        action="update",
    ),
    "decisions:delay": Url(
        CLIENT_DATA, "post", "signed_decision", {"delay_reason": "No place yet"}, action="update"
    ),
    "decisions:letter": Url(CLIENT_DATA, args="signed_decision", action="print"),
    # The unit's decisions not carried out, and the quarter's report to IVO (a CSV that
    # names clients by pseudo-identity): for the unit's team leaders.
    "decisions:waiting": Url(
        CLIENT_DATA,
        args="unit",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "decisions:ivo": Url(
        CLIENT_DATA,
        args="unit",
        data={"year": TODAY[:4], "quarter": 1},
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
        action="export",
    ),
    # Log review is the team leaders' (a manager sees no client); a lookup by identity
    # number is a POST, so that the number never travels in a URL.
    "audit:review": Url(
        CLIENT_DATA,
        allowed=frozenset({"leader", "other_leader"}),
        forbidden=frozenset(),
        post={"lookup-id_country": "se", "lookup-id_number": "19811228-9874"},
        post_action="read",
    ),
    "audit:emergency_reviewed": Url(
        CLIENT_DATA,
        "post",
        "emergency",
        allowed=frozenset({"leader"}),
        forbidden=frozenset(),
        action="review",
    ),
    # The monthly sample of accesses (tillit/audit/review.py): drawn by any team leader for
    # the units they review, each access marked by a leader of its unit, the review logged.
    "audit:sample_draw": Url(
        CLIENT_DATA,
        "post",
        allowed=frozenset({"leader", "other_leader"}),
        forbidden=frozenset(),
        action="review",
    ),
    "audit:sample_mark": Url(
        CLIENT_DATA,
        "post",
        "sample_item",
        {"verdict": "expected"},
        allowed=frozenset({"leader"}),
        forbidden=frozenset(),
        action="review",
    ),
    # Locked-out logins of a team leader's units, clients' portal logins among them (a list
    # of clients); lifting one is a row of its own, and anyone outside the units is a 404.
    "audit:lockouts": Url(
        CLIENT_DATA, allowed=frozenset({"leader", "other_leader"}), forbidden=frozenset()
    ),
    "audit:lockout_lift": Url(
        CLIENT_DATA,
        "post",
        data={"account": "worker"},
        allowed=frozenset({"leader"}),
        forbidden=frozenset(),
        action="lockout_lift",
    ),
    # The network app: a network member's data is the client's data.
    "network:map": Url(CLIENT_DATA, args="person"),
    "network:member_add": Url(
        CLIENT_DATA,
        "post",
        "person",
        {"name": "Sam", "relation": "friend", "circle": "1"},
        action="create",
    ),
    "network:member": Url(
        CLIENT_DATA,
        args="member",
        post={"name": "Mona", "relation": "family", "revision": 1},
        post_action="update",
    ),
    "network:member_move": Url(CLIENT_DATA, "post", "member", {"circle": "3"}, action="update"),
    "network:member_end": Url(
        CLIENT_DATA, "post", "member", {"reason": "Moved away"}, action="update"
    ),
    "network:consent_give": Url(
        CLIENT_DATA,
        "post",
        "member",
        {"purpose": "share", "given_on": NOW[:10]},
        action="create",
    ),
    "network:consent_withdraw": Url(CLIENT_DATA, "post", "consent", action="update"),
    "network:conference_new": Url(
        CLIENT_DATA, args="case", post={"questions": ""}, post_action="create"
    ),
    "network:conference": Url(
        CLIENT_DATA, args="conference", post={"step": "coordinator"}, post_action="update"
    ),
    "network:unit_conferences": Url(
        CLIENT_DATA,
        args="unit",
        allowed=frozenset({"leader"}),
        forbidden=frozenset({"worker", "colleague"}),
    ),
    "network:meeting_new": Url(
        CLIENT_DATA, args="case", post={"purpose": ""}, post_action="create"
    ),
    "network:meeting": Url(CLIENT_DATA, args="meeting"),
    # Groups: the list shows group names and sizes only; a group's page names its members
    # (tillit.clients.access.get_group_for).
    "groups:mine": Url(AUTHENTICATED),
    "groups:new": Url(AUTHENTICATED, post={"name": ""}),
    "groups:group": Url(
        CLIENT_DATA, args="group", post={"step": "agreement"}, post_action="create"
    ),
    "groups:member_leave": Url(CLIENT_DATA, "post", "group_member", action="update"),
    # The group check is taken in the member's case: its access helper decides.
    "groups:session_check": Url(CLIENT_DATA, "post", "attendance", action="create"),
    # Closing and follow-up (tillit/followup): a closed case stays its workers' and leaders'.
    "followup:person": Url(CLIENT_DATA, args="person"),
    "followup:close": Url(CLIENT_DATA, args="case", post={"reason": ""}, post_action="update"),
    "followup:reopen": Url(
        CLIENT_DATA, args="closed_case", post={"origin": "application"}, post_action="create"
    ),
    "followup:followup": Url(
        CLIENT_DATA, args="followup", post={"held_on": ""}, post_action="update"
    ),
    "followup:attempt": Url(
        CLIENT_DATA, "post", "followup", {"tried_on": NOW[:10], "how": "phone"}, action="update"
    ),
    "followup:link_new": Url(CLIENT_DATA, "post", "followup", action="create"),
    # The client's one-time link: questions only, the token in the URL (as feedback:link).
    "followup:link": Url(PUBLIC, post={}),
    # Counts with small cells hidden, no client: for team leaders and managers.
    "followup:table": Url(LEADERS),
    "followup:table_csv": Url(LEADERS),
    # The annual client survey (tillit/survey): staff data and anonymous answers, no
    # client. The periods of one's units (AUTHENTICATED); a period's pages for the unit's
    # staff and those who lead it (another unit's: 404); opening a period and the results
    # for team leaders and managers (anyone else: 403).
    "survey:periods": Url(AUTHENTICATED),
    "survey:period_new": Url(LEADERS, post={"unit": ""}),
    "survey:period": Url(LEADERS, args="survey_period"),
    "survey:poster": Url(LEADERS, args="survey_period"),
    "survey:paper_form": Url(LEADERS, args="survey_period"),
    "survey:paper_entry": Url(LEADERS, args="survey_period", post={}),
    "survey:results": Url(LEADERS),
    "survey:results_csv": Url(LEADERS),
    # The client's answer page: public, the period's token in the URL (as feedback:link).
    "survey:answer": Url(PUBLIC, post={}),
    # The leaders' evidence pages (tillit/evidence): counts, means and shares with small
    # groups hidden, no client; for team leaders and managers of their units and below.
    "evidence:index": Url(LEADERS),
    "evidence:continuity": Url(LEADERS),
    "evidence:continuity_csv": Url(LEADERS),
    "evidence:continuity_xlsx": Url(LEADERS),
    "evidence:caseload": Url(LEADERS),
    "evidence:caseload_csv": Url(LEADERS),
    "evidence:caseload_xlsx": Url(LEADERS),
    "evidence:alliance": Url(LEADERS),
    "evidence:alliance_csv": Url(LEADERS),
    "evidence:alliance_xlsx": Url(LEADERS),
    # A worker's own figures: their own caseload and meetings, no one else's; 403 for
    # anyone who is not a worker.
    "evidence:mine": Url(AUTHENTICATED),
    "evidence:mine_csv": Url(AUTHENTICATED),
    "evidence:mine_xlsx": Url(AUTHENTICATED),
    # Pseudonymised extracts (tillit/extracts): orders, approvals and counts, no client, so
    # no read is recorded (an order, a decision and a download are rows of their own). For
    # evaluators and the leaders of the order's units; anyone else 403, another's order 404.
    "extracts:orders": Url(LEADERS),
    "extracts:new": Url(LEADERS, post={"study": ""}),
    "extracts:codebook": Url(LEADERS),
    "extracts:order": Url(LEADERS, args="extract_order"),
    "extracts:approve": Url(LEADERS, "post", "extract_order"),
    "extracts:refuse": Url(LEADERS, "post", "extract_order", {"reason": "Not now."}),
    # Only the evaluator who ordered it produces it, follows its run and downloads it.
    "extracts:produce": Url(LEADERS, "post", "extract_order"),
    "extracts:status": Url(LEADERS, args="extract_run"),
    "extracts:download": Url(LEADERS, "post", "extract_run"),
}
