"""On a phone of 390 x 844 pixels: the one-time link for the client's phone as a QR code
and a copy button; the checks chart full width with dates written under it, at a size
one can read; and no main page, the worker's or the client's, wider than the screen."""

import datetime
import io
import itertools
import re

import pytest
import segno
from django.core.management import call_command
from django.urls import reverse

from e2e.conftest import PASSWORD, check_a11y, log_in, visit
from tillit.assessment import areas
from tillit.assessment.models import Assessment, LifeArea
from tillit.bam.models import Moment
from tillit.clients.management.commands.seed_demo import PASSWORD as DEMO_PASSWORD
from tillit.clients.models import JournalEntry, Person
from tillit.conftest import client_account
from tillit.factories import EntryFactory
from tillit.feedback.models import Instrument
from tillit.feedback.services import instruments_load, responses_record
from tillit.org.models import Unit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

WIDTH = 390


def _no_wider_than_the_screen(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url


def test_the_link_for_the_clients_phone_is_a_qr_code_and_copies(phone, live_server, entry):
    instruments_load()
    base = live_server.url
    phone.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
    log_in(phone, base, "worker")
    visit(phone, f"{base}/feedback/meetings/{entry.pk}/")
    with phone.expect_navigation() as made:
        phone.get_by_role("button", name="Make a link for the client's phone").click()
    assert "no-store" in made.value.headers["cache-control"]  # shown once, kept nowhere

    link = phone.get_by_label("Or copy the link and send it")
    url = link.input_value()
    assert re.fullmatch(re.escape(base) + r"/feedback/l/[\w-]+/", url)
    qr = phone.locator("svg.qr")
    box = qr.bounding_box()
    assert box is not None and 160 <= box["width"] <= WIDTH  # large enough for a camera
    drawn = qr.locator("path.qrline").get_attribute("d")
    assert f'd="{drawn}"' in segno.make(url, error="m").svg_inline()  # it is this link
    check_a11y(phone)
    _no_wider_than_the_screen(phone)

    phone.get_by_role("button", name="Copy the link").click()
    phone.get_by_role("status").filter(has_text="Copied").wait_for()
    assert phone.evaluate("navigator.clipboard.readText()") == url

    # Where the browser refuses the clipboard API, the link is selected to copy by hand.
    phone.evaluate("Object.defineProperty(navigator, 'clipboard', {value: undefined})")
    phone.get_by_role("button", name="Copy the link").click()
    selected = phone.evaluate(
        "[document.activeElement.id, document.activeElement.selectionStart,"
        " document.activeElement.selectionEnd]"
    )
    assert selected == ["one-time-link", 0, len(url)]
    phone.get_by_role("status").filter(has_text=re.compile("Copied|selected")).wait_for()


def _checks(case, worker, meetings: int) -> None:
    """A year of meetings every month, both checks answered, across a new year."""
    instruments = list(Instrument.objects.filter(key__in=("relationship", "life")))
    first = datetime.date(2025, 3, 10)
    for n in range(meetings):
        day = first + datetime.timedelta(days=30 * n)
        entry = EntryFactory(case=case, author=worker, signed=True)
        answers = {i.key: {item.key: 3 + n % 5 for item in i.items.all()} for i in instruments}
        responses_record(
            entry=entry,
            instruments=instruments,
            answers=answers,
            open_answers={},
            channel="paper",
            given_on=day,
            worker=None,
        )


CHART = """svg => {
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const ticks = [...svg.querySelectorAll("text.tick")].filter(t => t.textContent.trim());
  return {
    width: svg.getBoundingClientRect().width,
    labels: ticks.map(t => t.textContent.trim()),
    smallest: Math.min(...[...svg.querySelectorAll("text")].map(
      t => parseFloat(getComputedStyle(t).fontSize) * scale)),
    boxes: ticks.filter(t => !/^\\d{4}$/.test(t.textContent.trim()))
      .map(t => [t.getBoundingClientRect().left, t.getBoundingClientRect().right]),
  };
}"""


def _readable(page, min_width: float) -> dict:
    shown = page.locator("figure.chart svg:visible")
    assert shown.count() == 1
    chart = shown.evaluate(CHART)
    assert chart["width"] >= min_width
    assert chart["smallest"] >= 12, chart  # pixels on the screen, not units of the drawing
    assert len(chart["labels"]) >= 3
    assert all(a[1] < b[0] for a, b in itertools.pairwise(chart["boxes"]))  # none overlap
    return chart


def test_the_checks_chart_is_readable_on_a_phone_and_keeps_its_desktop_view(
    page, phone, live_server, worker, case, person
):
    instruments_load()
    _checks(case, worker, meetings=13)
    base = live_server.url

    client_account(person)
    visit(phone, f"{base}/portal/login/")
    phone.get_by_label("Användarnamn").fill(f"client-{person.pk}")
    phone.get_by_label("Lösenord").fill(PASSWORD)
    phone.get_by_role("button", name="Logga in").click()
    phone.wait_for_url("**/portal/")
    visit(phone, f"{base}/portal/checks/")
    narrow = _readable(phone, min_width=WIDTH * 0.85)
    days = [label for label in narrow["labels"] if not label.isdigit()]
    assert days[-1] == "5 mar"  # the latest meeting, in Swedish
    assert "2026" in narrow["labels"]  # the year is written where it changes
    _no_wider_than_the_screen(phone)

    log_in(page, base, "worker")
    visit(page, f"{base}/feedback/clients/{person.pk}/")
    wide = _readable(page, min_width=600)
    assert len(wide["labels"]) > len(narrow["labels"])  # more dates where there is room


def _links(page, selector: str) -> list[str]:
    return page.locator(selector).evaluate_all("links => links.map(a => a.pathname)")


def _sweep(browser, base: str, user: str, login: str, first: list[str], more: list[str]):
    """Every page in `first`, every page their navigations link to, then `more`, each
    checked by axe: the ones wider than the phone, as (path, width), and all seen."""
    context = browser.new_context(
        viewport={"width": WIDTH, "height": 844}, is_mobile=True, device_scale_factor=1
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    wide, seen = [], []
    try:
        context.add_cookies([{"name": "django_language", "value": "sv", "url": base}])
        page.goto(base + login)
        page.fill("#id_username", user)
        page.fill("#id_password", DEMO_PASSWORD)
        page.locator("button[type=submit].primary").click()
        page.wait_for_load_state()
        queue = list(first)
        for path in first:
            page.goto(base + path)
            queue += _links(page, "header.top nav a, nav.client-nav a")
        for path in dict.fromkeys(queue + more):
            response = page.goto(base + path)
            assert response is not None and response.status == 200, path
            seen.append(path)
            check_a11y(page)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > WIDTH:
                wide.append((path, width))
    finally:
        context.close()
    return wide, seen


def test_no_main_page_is_wider_than_a_phone(browser, live_server):
    """The demo municipality on a phone, as a worker (and a colleague of theirs with the
    plans, family group conference and network meeting), as a team leader, a manager and
    a client."""
    from tillit.groups.models import Group
    from tillit.network.models import FamilyConference, Meeting, NetworkMember
    from tillit.plans.models import Plan

    instruments_load()
    areas.load(LifeArea)
    call_command("seed_demo", stdout=io.StringIO())
    base = live_server.url
    person = Person.objects.get(account__user__username="klient")  # one of anna's clients
    entry = JournalEntry.objects.filter(case__person=person, signed_at__isnull=False).first()
    moment = Moment.objects.filter(person=person).first()
    member = NetworkMember.objects.filter(person=person).first()
    group = Group.objects.filter(members__person__cases__assignments__worker__username="anna")
    anna = [
        reverse("assessment:detail", args=[Assessment.objects.get(case__person=person).pk]),
        reverse("bam:patterns", args=[person.pk]),
        reverse("bam:board", args=[moment.pk]),
        reverse("feedback:meeting", args=[entry.pk]),
        reverse("network:member", args=[member.pk]),
        reverse("groups:group", args=[group.first().pk]),
        reverse("clients:person_new"),
        reverse("decisions:person", args=[person.pk]),
        reverse("followup:person", args=[person.pk]),
        reverse("outcomes:person", args=[person.pk]),
    ]
    plan = Plan.objects.filter(case__assignments__worker__username="jonas").first()
    jonas = [reverse("plans:plan", args=[plan.pk])]
    # A family group conference and a network meeting, each swept by a worker on its case.
    for model, name in ((FamilyConference, "network:conference"), (Meeting, "network:meeting")):
        for worker, paths in (("anna", anna), ("jonas", jonas)):
            found = model.objects.filter(
                case__assignments__worker__username=worker, case__assignments__ended_on=None
            ).first()
            if found is not None:
                paths.append(reverse(name, args=[found.pk]))
                break
        else:
            raise AssertionError(f"the demo has no {name} on anna's or jonas's cases")

    wide, seen = _sweep(browser, base, "anna", "/login/", ["/", f"/clients/{person.pk}/"], anna)
    more, _seen = _sweep(
        browser, base, "jonas", "/login/", [f"/clients/{plan.case.person_id}/"], jonas
    )
    mine, own = _sweep(browser, base, "klient", "/portal/login/", ["/portal/"], [])
    # The leaders' pages: the unit, log review, lockouts, methods, sessions.
    outpatient = Unit.objects.get(name="Öppenvården vuxna").pk
    figures = [
        reverse(name)
        for name in (
            "evidence:continuity",
            "evidence:caseload",
            "evidence:alliance",
            "survey:periods",
            "survey:results",
            "outcomes:november",
        )
    ]
    figures += [
        reverse("followup:table") + f"?unit={outpatient}",
        reverse("decisions:waiting", args=[outpatient]),
    ]
    led, _led = _sweep(browser, base, "lena", "/login/", ["/"], figures)
    managed, _managed = _sweep(browser, base, "petra", "/login/", ["/"], [])
    assert len(seen) >= 20 and len(own) >= 6, (seen, own)
    assert wide + more + mine + led + managed == []
