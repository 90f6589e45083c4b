"""`make screenshots`: PNGs of the main pages, desktop and phone, from the demo
municipality, into docs/screenshots/. Not part of `make test` (marker `screenshots`)."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from e2e.conftest import log_in
from tillit.assessment import areas
from tillit.assessment.models import Assessment, LifeArea
from tillit.bam.models import Moment
from tillit.clients.management.commands.seed_demo import PASSWORD
from tillit.clients.models import Case
from tillit.feedback.models import Alert
from tillit.network.models import NetworkMember

pytestmark = [pytest.mark.e2e, pytest.mark.screenshots, pytest.mark.django_db(transaction=True)]

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
SIZES = {"desktop": {"width": 1280, "height": 800}, "phone": {"width": 390, "height": 844}}


@pytest.mark.parametrize("size", SIZES)
def test_screenshots(browser, live_server, size):
    from tillit.feedback.services import instruments_load

    instruments_load()
    areas.load(LifeArea)
    call_command("seed_demo", stdout=io.StringIO())
    OUT.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    alert = Alert.objects.filter(case__assignments__worker__username="anna").first()
    person_id = (
        alert.person_id
        if alert
        else Case.objects.filter(assignments__worker__username="anna", assignments__ended_on=None)
        .first()
        .person_id
    )
    pages = {
        "anna": [
            ("caseload", "/caseload/"),
            ("client", f"/clients/{person_id}/"),
            ("feedback", f"/feedback/clients/{person_id}/#chart-title"),  # the chart
        ],
        "lena": [("unit", "/"), ("log-review", "/log/"), ("emergency", "/emergency/")],
        "klient": [("portal", "/portal/"), ("portal-assessment", "/assessment/mine/")],
        # The leaders' evidence, as the manager of the whole municipality sees it.
        "petra": [
            ("figures-continuity", "/evidence/continuity/"),
            ("figures-caseload", "/evidence/caseload/"),
            ("figures-alliance", "/evidence/alliance/"),
            ("survey-results", "/survey/results/"),
            ("follow-up-table", "/followup/table/"),
            ("november", "/outcomes/statistics/1-november/"),
            ("extracts", "/extracts/"),
        ],
    }
    pages["anna"] += [
        ("decisions", f"/decisions/clients/{person_id}/"),
        ("closing-and-follow-up", f"/followup/clients/{person_id}/"),
    ]
    assessment = Assessment.objects.get(case__person__account__user__username="klient")
    pages["anna"].append(("assessment", f"/assessment/{assessment.pk}/"))
    # The BaM board and the ecomap of a client of anna's who has them in the demo.
    moment = Moment.objects.filter(case__assignments__worker__username="anna").first()
    if moment:
        pages["anna"].append(("bam-board", f"/bam/moments/{moment.pk}/board/"))
    member = NetworkMember.objects.filter(
        person__cases__assignments__worker__username="anna",
        person__cases__assignments__ended_on=None,
    ).first()
    if member:
        pages["anna"].append(("ecomap", f"/network/clients/{member.person_id}/"))
    for user, shots in pages.items():
        context = browser.new_context(
            viewport=SIZES[size], device_scale_factor=1, is_mobile=size == "phone"
        )
        page = context.new_page()
        if user == "anna":
            page.goto(f"{base}/login/")
            page.screenshot(path=OUT / f"login-{size}.png")
        log_in(page, base, user, language="sv", password=PASSWORD)
        for name, url in shots:
            page.goto(base + url)
            page.screenshot(path=OUT / f"{name}-{size}.png")
        context.close()
