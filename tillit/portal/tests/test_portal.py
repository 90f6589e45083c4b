"""The client portal: a worker's one-time code opens it; the client sees only their own
records that were shared with them, says how they see them, and sees who has read them."""

import datetime
import re

import pytest
import segno
from django.urls import reverse
from django.utils import timezone

from tillit.audit.models import AccessLog
from tillit.clients.models import Person
from tillit.conftest import client_for
from tillit.factories import EntryFactory
from tillit.plans.models import Plan
from tillit.portal import services
from tillit.portal.models import ActivationCode, ClientAccount, ClientComment, Release


def _code(worker, person) -> str:
    response = client_for(worker).post(reverse("portal:code_new", args=[person.pk]))
    assert response.status_code == 200
    return re.search(r'<code class="code">([A-Z0-9-]+)</code>', response.content.decode())[1]


def _activate(client, code, username="kim", password="a-long-Passw0rd"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("portal:activate"),
        {"code": code, "username": username, "password": password, "password_again": password},
    )


def test_worker_prints_a_code_and_the_client_opens_the_portal_with_it(worker, case, person, client):
    code = _code(worker, person)
    assert ActivationCode.objects.get().digest != code  # only a hash is kept

    response = _activate(client, code.lower())
    assert response.status_code == 302 and response["Location"] == reverse("portal:home")
    account = ClientAccount.objects.get(person=person)
    assert account.user.is_client and account.user.check_password("a-long-Passw0rd")
    assert "Kim" in client.get(reverse("portal:home")).content.decode()


def test_a_code_works_once(worker, case, person, client):
    code = _code(worker, person)
    _activate(client, code)
    client.cookies["django_language"] = "en"
    response = _activate(client, code, username="kim2")
    assert "This code does not work" in response.content.decode()


def test_an_old_code_does_not_work_and_says_so_in_swedish(worker, case, person, client):
    code = _code(worker, person)
    ActivationCode.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))
    client.cookies["django_language"] = "sv"
    response = _activate(client, code)
    assert "Koden fungerar inte" in response.content.decode()
    assert not ClientAccount.objects.exists()


def test_a_new_code_resets_the_password_and_keeps_the_account(worker, leader, case, person, client):
    _activate(client, _code(worker, person))
    # A code for a client who has a login replaces it: the team leader's to issue.
    _activate(client, _code(leader, person), username="kim", password="another-Passw0rd")
    account = ClientAccount.objects.get()
    assert account.user.check_password("another-Passw0rd")


def test_only_the_team_leader_replaces_a_clients_login(worker, leader, case, person, client):
    _activate(client, _code(worker, person))
    staff = client_for(worker)
    staff.cookies["django_language"] = "en"
    before = AccessLog.objects.count()

    response = staff.post(reverse("portal:code_new", args=[person.pk]))

    assert response.status_code == 403
    assert "ask your team leader" in response.content.decode()
    assert AccessLog.objects.count() == before  # refused before recording
    assert ActivationCode.objects.filter(used_at__isnull=True).count() == 0
    _code(leader, person)
    row = AccessLog.objects.latest("id")
    assert (row.user, row.action, row.detail) == (
        leader,
        "create",
        {"portal_code": "replaces_login"},
    )


def test_emergency_access_cannot_issue_a_portal_code(colleague, case, person):
    from tillit.clients import services as client_services

    client_services.emergency_access_open(
        actor=colleague, person=person, category="risk", reason="Found unconscious, need meds"
    )
    response = client_for(colleague).post(reverse("portal:code_new", args=[person.pk]))
    assert response.status_code == 403
    assert not ActivationCode.objects.exists()


def test_mismatched_passwords_lose_nothing_else(worker, case, person, client):
    code = _code(worker, person)
    client.cookies["django_language"] = "en"
    response = client.post(
        reverse("portal:activate"),
        {"code": code, "username": "kim", "password": "a-long-Passw0rd", "password_again": "x"},
    )
    body = response.content.decode()
    assert "The two passwords are not the same." in body and 'value="kim"' in body
    assert not ClientAccount.objects.exists()


def test_client_sees_only_shared_signed_entries_of_their_own(
    worker, case, person, entry, draft, client_self, client_other
):
    hidden = EntryFactory(case=case, author=worker, signed=True, text="Not shared")
    services.entry_release(actor=worker, entry=entry)
    page = client_for(client_self).get(reverse("portal:home")).content.decode()
    assert "Signed text" in page
    assert "Draft text" not in page and hidden.text not in page

    other = client_for(client_other).get(reverse("portal:home")).content.decode()
    assert "Signed text" not in other and "Kim" not in other


def test_a_draft_cannot_be_shared(worker, draft):
    response = client_for(worker).post(reverse("portal:release", args=[draft.pk]))
    assert response.status_code == 302
    assert not Release.objects.exists()


def test_client_comment_is_kept_with_the_entry_and_shown_to_the_worker(
    worker, person, entry, client_self
):
    services.entry_release(actor=worker, entry=entry)
    url = reverse("clients:person", args=[person.pk])
    client_for(worker).get(url)  # the worker has read the entry first

    client_for(client_self).post(
        reverse("portal:comment", args=[entry.pk]), {"text": "This is not how I see it."}
    )
    assert ClientComment.objects.get().entry == entry
    assert "This is not how I see it." in client_for(worker).get(url).content.decode()


def test_an_empty_comment_is_refused(worker, entry, client_self):
    services.entry_release(actor=worker, entry=entry)
    client = client_for(client_self)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("portal:comment", args=[entry.pk]), {"text": "  "}, follow=True)
    assert "Write something before you send." in response.content.decode()
    assert not ClientComment.objects.exists()


def test_client_sees_who_has_read_their_records(worker, case, person, client_self):
    client_for(worker).get(reverse("clients:person", args=[person.pk]))
    client = client_for(client_self)
    client.get(reverse("portal:home"))
    page = client.get(reverse("portal:readers")).content.decode()
    assert str(worker) in page
    readers = client.get(reverse("portal:readers")).context["page"]
    assert {row.user for row in readers} == {worker}
    assert AccessLog.objects.filter(person=person, role="self").count() == 3


def test_a_client_login_opens_nothing_but_the_portal(client_self, person):
    client = client_for(client_self)
    staff_pages = [reverse("clients:caseload"), reverse("clients:person", args=[person.pk])]
    for url in [*staff_pages, "/admin/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"] == reverse("portal:home")


def test_staff_have_no_portal_page(worker):
    assert client_for(worker).get(reverse("portal:home")).status_code == 404


def test_client_sees_their_own_checks(worker, entry, client_self):
    from tillit.feedback.tests.test_collect import record

    record(entry, "relationship", 8)
    page = client_for(client_self).get(reverse("portal:feedback")).content.decode()
    assert "<svg" in page and "<td>8</td>" in page


@pytest.mark.parametrize("shared", [1, 12])
def test_portal_home_query_count_is_constant(
    worker, case, client_self, shared, django_assert_num_queries
):
    for n in range(shared):
        entry = EntryFactory(case=case, author=worker, signed=True)
        services.entry_release(actor=worker, entry=entry)
        services.comment_add(person=case.person, entry=entry, text=f"Comment {n}")
    Plan.objects.create(
        case=case, kind="care", status="shared", created_by=worker, review_on="2027-01-15"
    )
    client = client_for(client_self)
    client.cookies["django_language"] = "en"
    # session, its user with their roles, account, audit row, contact persons, plans, their
    # reviews, entries, comments
    with django_assert_num_queries(9):
        response = client.get(reverse("portal:home"))
    assert len(response.context["entries"]) == shared
    assert "next review" in response.content.decode()


def test_person_model_has_no_account_until_activated(person):
    assert not Person.objects.filter(account__isnull=False).exists()


def test_a_code_typed_with_spaces_in_small_letters_works(worker, case, person, client):
    code = _code(worker, person)
    typed = code.replace("-", " ").lower()
    response = _activate(client, f"  {typed} ")
    assert response.status_code == 302
    assert ClientAccount.objects.filter(person=person).exists()


def test_a_code_of_the_wrong_length_is_told_so(worker, case, person, client):
    client.cookies["django_language"] = "en"
    response = _activate(client, "ABCD-EFGH-JKM")
    assert "A code has 12 letters and digits; you typed 11." in response.content.decode()


def test_the_portal_speaks_the_clients_own_language_until_they_choose(person, client_self):
    from django.conf import settings

    person.preferred_language = "nb"
    person.save()
    client = client_for(client_self)
    response = client.get(reverse("portal:home"), HTTP_ACCEPT_LANGUAGE="sv")
    assert '<html lang="nb"' in response.content.decode()
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "nb"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the client switched
    assert '<html lang="en"' in client.get(reverse("portal:home")).content.decode()


def test_the_letter_has_a_qr_code_of_the_address_and_not_of_the_code(worker, case, person):
    person.preferred_language = "nb"
    person.save(update_fields=["preferred_language"])
    response = client_for(worker).post(reverse("portal:code_new", args=[person.pk]))
    page = response.content.decode()
    svg = re.search(r'<svg viewBox="[\d ]+" class="qr">.*?</svg>', page, re.S)
    assert svg is not None
    assert "<title>QR-kode for adressen, for telefonens kamera</title>" in svg.group(0)
    address = segno.make("http://testserver" + reverse("portal:activate"), error="m")
    drawn = re.search(r' d="([^"]+)"/></svg>', address.svg_inline(omitsize=True))
    assert drawn is not None and drawn[1] in svg[0]  # the address, nothing else
    assert "no-store" in response["Cache-Control"]
