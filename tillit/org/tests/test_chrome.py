"""The navigation and the language menu on every staff page."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import resolve, reverse

from tillit.conftest import client_for
from tillit.org.models import Membership, Role, User
from tillit.org.templatetags.chrome import _main_nav


def nav_links(response) -> list[str]:
    nav = re.search(r'<nav aria-label="[^"]+">(.*?)</nav>', response.text, re.S)
    assert nav, "no navigation"
    return re.findall(r'href="([^"]+)"', nav.group(1))


def test_the_navigation_follows_the_users_roles(worker, leader, unit, administrator):
    caseload, review = reverse("clients:caseload"), reverse("audit:review")
    unit_page = reverse("clients:unit", args=[unit.pk])
    worker_links = nav_links(client_for(worker).get(caseload))
    assert caseload in worker_links and review not in worker_links
    assert reverse("admin:index") not in worker_links
    leader_links = nav_links(client_for(leader).get(review))
    assert unit_page in leader_links and review in leader_links and caseload not in leader_links
    assert reverse("admin:index") in nav_links(client_for(administrator).get(reverse("home")))


def test_the_navigation_is_in_the_pages_language_and_rendered_once_for_each(worker):
    _main_nav.cache_clear()
    client = client_for(worker)
    page = reverse("clients:caseload")
    client.cookies["django_language"] = "en"
    assert ">My caseload<" in client.get(page).text
    client.cookies["django_language"] = "nb"
    assert ">Mine saker<" in client.get(page).text
    client.get(page)
    assert _main_nav.cache_info().misses == 2  # English and Norwegian, once each


def test_the_language_menu_names_each_language_in_itself(worker):
    client = client_for(worker)
    client.cookies["django_language"] = "en"
    text = client.get(reverse("clients:caseload")).text
    options = dict(re.findall(r'<option value="(\w+)"[^>]*>([^<]+)</option>', text))
    assert options == {"sv": "Svenska", "nb": "Norsk (bokmål)", "en": "English"}
    assert '<option value="en" selected lang="en">' in text


def test_a_team_leader_of_two_units_reaches_both(leader, unit, other_unit):
    Membership.objects.create(user=leader, unit=other_unit, role=Role.TEAM_LEADER)
    client = client_for(leader)
    client.cookies["django_language"] = "en"

    response = client.get(reverse("audit:review"))

    links = nav_links(response)
    for each in (unit, other_unit):
        assert reverse("clients:unit", args=[each.pk]) in links
        assert reverse("network:unit_conferences", args=[each.pk]) in links
        assert f">{each.name}<" in response.text
        assert f">Family group conferences, {each.name}<" in response.text
    assert ">My unit<" not in response.text


def test_those_who_work_with_clients_are_offered_the_search(worker, leader, administrator):
    search = reverse("clients:search")
    assert search in nav_links(client_for(worker).get(reverse("clients:caseload")))
    assert search in nav_links(client_for(leader).get(reverse("audit:review")))
    assert search not in nav_links(client_for(administrator).get(reverse("home")))


@pytest.fixture
def demo(db):
    call_command("seed_demo", clients=12, stdout=io.StringIO())


def test_every_link_in_the_navigation_opens_for_every_demo_persona(demo):
    """The navigation shows what the user may open and nothing else: each of its links
    answers 200 to each persona of the demo."""
    expected = {
        "anna": {"clients:caseload", "feedback:mine", "clients:search", "groups:mine"},
        "lena": {"clients:unit", "audit:review", "org:methods", "clients:search"},
        "tomas": {"clients:unit", "network:unit_conferences", "clients:search"},
        "petra": {"org:methods"},
        "admin": {"admin:index"},
    }
    for username, names in expected.items():
        client = client_for(User.objects.get(username=username))
        links = nav_links(client.get(reverse("home"), follow=True))
        assert names <= {resolve(link).view_name for link in links}, username
        for link in links:
            assert client.get(link).status_code == 200, f"{username}: {link}"
        if username == "tomas":
            led = {resolve(link).kwargs.get("pk") for link in links if "/units/" in link}
            assert led == set(User.objects.get(username="tomas").unit_ids(Role.TEAM_LEADER))
        if username in ("petra", "admin"):
            assert reverse("clients:search") not in links
