"""The navigation and the language menu on every staff page."""

import re

from django.urls import reverse

from tillit.conftest import client_for
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
