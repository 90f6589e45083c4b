"""The assessment in a real browser: an area saves itself as the worker types and is
there after a reload; a second writer on the same area is told and loses nothing; the
client writes their own account on a phone."""

import pytest

from e2e.conftest import PASSWORD, check_a11y, visit
from tillit.assessment import areas
from tillit.assessment.models import LifeArea
from tillit.assessment.services import assessment_share, assessment_start
from tillit.conftest import client_account

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _areas(db):  # type: ignore[no-untyped-def]
    areas.load(LifeArea)  # a transactional test starts from a flushed database


def _log_in(page, base, username, path="/login/"):  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "django_language", "value": "en", "url": base}])
    visit(page, base + path)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("button[type=submit].primary").click()
    page.wait_for_load_state()


def test_area_autosaves_and_a_second_writer_is_told(page, browser, live_server, worker, case):
    assessment = assessment_start(actor=worker, case=case)
    answer = assessment.answers.select_related("area").first()
    url = f"{live_server.url}/assessment/{assessment.pk}/"
    _log_in(page, live_server.url, "worker")
    visit(page, url)

    other = page.context.new_page()  # the same worker in a second tab, on the old revision
    other.goto(url)

    field = page.locator(f"#id_a{answer.pk}-client_account")
    field.fill("I live with my sister for now.")
    page.locator(f"#status-{answer.pk}").get_by_text("Saved").wait_for()
    page.reload()
    assert page.locator(f"#id_a{answer.pk}-client_account").input_value() == (
        "I live with my sister for now."
    )
    check_a11y(page)

    other.locator(f"#id_a{answer.pk}-client_account").fill("She says it is crowded.")
    other.locator(f"#conflict-{answer.pk}").get_by_text("Someone else saved this area").wait_for()
    assert "I live with my sister for now." in other.locator(f"#conflict-{answer.pk}").inner_text()
    assert other.locator(f"#id_a{answer.pk}-client_account").input_value() == (
        "She says it is crowded."
    )
    check_a11y(other)


def test_client_writes_their_own_account_on_a_phone(phone, live_server, worker, case, person):
    assessment = assessment_share(assessment=assessment_start(actor=worker, case=case))
    answer = assessment.answers.first()
    user = client_account(person)
    _log_in(phone, live_server.url, user.username, "/portal/login/")
    visit(phone, f"{live_server.url}/assessment/mine/")
    phone.locator(f"#id_a{answer.pk}-client_account").fill("Jag vill ha ett eget boende.")
    phone.locator(f"#status-{answer.pk}").get_by_text("Saved").wait_for()
    phone.reload()
    assert (
        "Jag vill ha ett eget boende."
        in phone.locator(f"#id_a{answer.pk}-client_account").input_value()
    )
    check_a11y(phone)
