"""BaM in the meeting: the worker records a weak moment and fills the three columns of the
board in board mode with the keyboard alone (Tab, typing, Enter; no mouse)."""

import pytest

from e2e.conftest import check_a11y, log_in, visit
from tillit.bam.models import Moment, MomentNote

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def tab_to(page, selector: str, limit: int = 80) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the element matching `selector` has the focus, and check that the
    focus is visible there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {selector}"
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_worker_fills_the_board_by_keyboard_in_board_mode(page, live_server, worker, case, person):
    log_in(page, live_server.url, "worker")
    page.wait_for_url("**/caseload/")
    visit(page, f"{live_server.url}/clients/{person.pk}/")
    tab_to(page, f"a[href='/bam/clients/{person.pk}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/bam/clients/{person.pk}/")
    check_a11y(page)

    tab_to(page, "a[href$='?kind=weak']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/new/?kind=weak")
    check_a11y(page)
    tab_to(page, "#id_title")
    page.keyboard.type("Payday on Friday")
    page.keyboard.press("Enter")
    page.wait_for_url("**/bam/moments/*/")
    check_a11y(page)
    moment = Moment.objects.get()
    assert moment.kind == "weak" and moment.written_by == worker

    tab_to(page, "a[href$='/board/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/bam/moments/{moment.pk}/board/")
    check_a11y(page)
    assert person.last_name not in page.content()
    assert person.id_number not in page.content()

    notes = {
        "antecedent": "Got paid, alone at home",
        "behaviour": "Bought beer on the way",
        "consequence": "Relief, then shame in the morning",
    }
    for column, text in notes.items():
        tab_to(page, f"#{column}-text")
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.locator(f"#notes-{column} li", has_text=text).wait_for()
        # htmx swaps the column without a reload and the focus stays in the input
        assert page.evaluate("() => document.activeElement.id") == f"{column}-text"
        assert page.input_value(f"#{column}-text") == ""
    page.locator("#board-status", has_text="Note added").wait_for(state="attached")
    assert page.url.endswith(f"/bam/moments/{moment.pk}/board/")
    check_a11y(page)

    saved = dict(MomentNote.objects.filter(moment=moment).values_list("column", "text"))
    assert saved == notes


def test_board_mode_prints_the_three_columns(page, live_server, worker, case, person):
    from tillit.bam.services import note_add
    from tillit.factories import MomentFactory

    moment = MomentFactory(case=case, written_by=worker, title="Payday")
    note_add(actor=worker, moment=moment, column="behaviour", text="Bought beer")
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/bam/moments/{moment.pk}/board/")
    page.emulate_media(media="print")
    assert not page.locator("form.note-form").first.is_visible()
    assert not page.locator("header.top").is_visible()
    assert page.get_by_text("Bought beer").is_visible()
    boxes = [page.locator(f"#col-{c}").bounding_box() for c in ("antecedent", "behaviour")]
    assert boxes[0]["y"] == boxes[1]["y"]  # side by side on paper too


def test_patterns_and_methods_pages_pass_axe(page, live_server, worker, leader, case, person):
    import datetime

    from django.utils import timezone

    from tillit.bam.services import moment_record

    for days, kind, confidence in [(60, "weak", 2), (40, "weak", 4), (10, "strong", 7)]:
        moment_record(
            actor=worker,
            person=person,
            case=case,
            kind=kind,
            happened_at=timezone.now() - datetime.timedelta(days=days),
            title=f"{kind} {days}",
            confidence=confidence,
            tags=["payday"],
            what_worked="Walked home" if kind == "strong" else "",
        )
    log_in(page, live_server.url, "worker")
    visit(page, f"{live_server.url}/bam/clients/{person.pk}/patterns/")
    assert page.locator("svg[role=img]:visible").count() == 2  # of four: each drawn twice
    visit(page, f"{live_server.url}/bam/clients/{person.pk}/patterns/?by=week")
    visit(page, f"{live_server.url}/bam/clients/{person.pk}/?tag=payday")
    visit(page, f"{live_server.url}/bam/cases/{case.pk}/new/?kind=strong")
    page.context.clear_cookies()
    log_in(page, live_server.url, "leader")
    visit(page, f"{live_server.url}/org/methods/")
    assert page.get_by_role("heading", name="Methods in practice").is_visible()
