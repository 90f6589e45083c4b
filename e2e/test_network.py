"""The network map on a tablet: a worker and a client build the map together, record
consents, and take three people to a family group conference; the ecomap stays legible
with 0, 1 and 60 people."""

from pathlib import Path

import pytest
from django.utils import timezone

from e2e.conftest import _page, check_a11y, log_in, visit
from tillit.network import services
from tillit.network.models import FamilyConference

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

RESULTS = Path(__file__).resolve().parent.parent / "test-results"
PEOPLE = [
    ("Mona", "family", "1", "support"),
    ("Olle", "friend", "1", "both"),
    ("Pia", "neighbour", "2", "support"),
    ("Rami", "work", "3", "strain"),
    ("Sofia", "relative", "2", "support"),
]


@pytest.fixture
def tablet(browser, live_server):  # type: ignore[no-untyped-def]
    context, page = _page(
        browser, viewport={"width": 820, "height": 1180}, has_touch=True, locale="en-GB"
    )
    yield page
    context.close()


def test_worker_builds_a_map_and_holds_a_conference(tablet, live_server, worker, case, person):
    page = tablet
    base = live_server.url
    log_in(page, base, "worker")
    visit(page, f"{base}/network/clients/{person.pk}/")

    for name, relation, circle, quality in PEOPLE:
        page.fill("#id_name", name)
        page.select_option("#id_relation", relation)
        page.select_option("#id_circle", circle)
        page.select_option("#id_quality", quality)
        page.get_by_role("button", name="Add to the map").click()
        page.locator("#board .members li", has_text=name).wait_for()
    assert page.locator("svg g.member").count() == 5
    assert page.locator("svg g.member line[stroke-dasharray]").count() == 1  # Rami: strain
    check_a11y(page)

    # Move Sofia to the inner circle in one tap.
    page.get_by_role("button", name="Move Sofia to the Inner circle").click()
    page.locator("#board-status", has_text="Sofia is now in the inner circle").wait_for(
        state="attached"
    )
    assert page.get_by_role("button", name="Move Sofia to the Inner circle").is_disabled()

    for name in ("Mona", "Olle", "Pia"):
        page.get_by_role("link", name=name, exact=True).click()
        page.wait_for_url("**/network/members/*/")
        page.select_option("#id_purpose", "invite")
        page.get_by_role("button", name="Record consent").click()
        page.get_by_text("The consent is recorded.").wait_for()
        check_a11y(page)
        page.get_by_role("link", name="Network of").click()
        page.wait_for_url(f"**/network/clients/{person.pk}/")
    assert page.get_by_text("no consent to invite").count() == 2

    page.get_by_role("link", name="Request a family group conference").click()
    check_a11y(page)
    page.fill("#id_questions", "How can Kim stay safe at weekends?")
    page.fill("#id_agreement", "Kim and Mona want a family group conference.")
    page.get_by_role("button", name="Request").click()
    page.wait_for_url("**/network/conferences/*/")
    check_a11y(page)

    page.fill("#id_coordinator-name", "Eva Samordnare")
    page.get_by_role("button", name="Appoint").click()
    page.get_by_text("Eva Samordnare, appointed").wait_for()
    invite = page.locator("#id_invite-member")
    assert invite.locator("option", has_text="Rami").count() == 1  # listed, but refused
    invite.select_option(label="Rami")
    page.get_by_role("button", name="Invite", exact=True).click()
    page.get_by_role("alert").get_by_text("has not given consent").first.wait_for()
    check_a11y(page)
    for name in ("Mona", "Olle", "Pia"):
        page.locator("#id_invite-member").select_option(label=name)
        page.get_by_role("button", name="Invite", exact=True).click()
        page.locator("section[aria-labelledby=preparation-title] li", has_text=name).wait_for()
    check_a11y(page)

    page.fill("#id_hold-information", "The school and the clinic told what they know.")
    page.fill("#id_hold-plan_summary", "The family takes turns at weekends.")
    page.get_by_role("button", name="Record the conference").click()
    page.locator("#id_step-what").wait_for()

    page.fill("#id_step-what", "Mona has Kim on Saturdays")
    page.select_option("#id_step-owner_member", label="Mona")
    page.fill("#id_step-by_when", timezone.localdate().isoformat())
    page.get_by_role("button", name="Add to the plan").click()
    page.get_by_role("cell", name="Mona has Kim on Saturdays").wait_for()

    page.get_by_label("Plan accepted").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Record the follow-up").wait_for()
    check_a11y(page)

    conference = FamilyConference.objects.get()
    assert conference.decision == "accepted"
    assert sorted(i.member.name for i in conference.invitations.all()) == ["Mona", "Olle", "Pia"]


@pytest.mark.parametrize("size", [0, 1, 60])
def test_ecomap_is_legible_at_any_size(page, live_server, worker, case, person, size):
    for n in range(size):
        services.member_add(
            actor=worker,
            person=person,
            circle=1 + n % 3,
            name=f"Anna-Karin Johansson-Lindqvist {n}" if n % 2 else f"Bo {n}",
            relation="friend",
            quality=["support", "strain", "both"][n % 3],
        )
    page.set_viewport_size({"width": 820, "height": 1180})
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/network/clients/{person.pk}/")

    svg = page.locator("figure.ecomap > svg")
    assert svg.locator("g.member").count() == size
    assert page.locator("#board .members li").count() == size
    box = svg.bounding_box()
    assert box and box["width"] > 300
    overflow = page.evaluate(
        """() => {
          const svg = document.querySelector('figure.ecomap > svg');
          const outer = svg.getBoundingClientRect();
          const labels = [...svg.querySelectorAll('text.label')];
          const out = labels.filter(t => {
            const r = t.getBoundingClientRect();
            return r.left < outer.left - 1 || r.right > outer.right + 1 ||
                   r.top < outer.top - 1 || r.bottom > outer.bottom + 1;
          }).map(t => t.textContent);
          const sizes = labels.map(t => parseFloat(t.getAttribute('font-size')));
          return {out, smallest: Math.min(...sizes, 99)};
        }"""
    )
    assert overflow["out"] == []
    assert overflow["smallest"] >= 9
    RESULTS.mkdir(exist_ok=True)
    svg.screenshot(path=str(RESULTS / f"ecomap-{size}.png"))


def test_group_pages_are_accessible(page, live_server, worker, case, person, unit):
    from tillit.groups import services as groups
    from tillit.groups.models import Group

    group = Group.objects.create(
        unit=unit, name="Tisdagsgruppen", kind="alcohol", created_by=worker
    )
    groups.member_join(group=group, person=person, on=timezone.localdate())
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/groups/")
    page.get_by_role("link", name="Tisdagsgruppen").click()
    page.wait_for_url(f"**/groups/{group.pk}/")
    check_a11y(page)
    page.get_by_label(person.full_name).check()
    page.get_by_role("button", name="Record the session").click()
    page.get_by_role("cell", name="1 / 1").wait_for()
    page.fill("#id_agreement-text", "We come sober and we listen.")
    page.fill("#id_agreement-written_by", "The group")
    page.get_by_role("button", name="Save the agreement").click()
    page.get_by_text("We come sober and we listen.").wait_for()
    check_a11y(page)
    visit(page, f"{live_server.url}/clients/{person.pk}/")
    assert "came to 1 of 1 sessions" in page.locator("#groups-title + ul").inner_text()


def test_meetings_and_the_leaders_list(page, live_server, worker, leader, case, person, unit):
    member = services.member_add(
        actor=worker, person=person, circle=1, name="Mona", relation="family"
    )
    services.consent_give(actor=worker, member=member, purpose="invite")
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/network/clients/{person.pk}/")
    page.get_by_role("link", name="Record a meeting").click()
    check_a11y(page)
    page.select_option("#id_kind", "reflecting")
    page.fill("#id_purpose", "Think together about the summer")
    page.fill("#id_client_words", "I want to see my daughter")
    page.fill("#id_reflections", "The team heard hope")
    page.get_by_label("Mona").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_url("**/network/meetings/*/")
    assert "I want to see my daughter" in page.inner_text("main")
    check_a11y(page)

    services.conference_request(actor=worker, case=case, questions="Q", agreement="A")
    page.context.clear_cookies()
    log_in(page, live_server.url, "leader")
    visit(page, f"{live_server.url}/network/units/{unit.pk}/conferences/")
    assert person.full_name in page.inner_text("main")
