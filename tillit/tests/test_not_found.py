"""The 404 page, walked over every URL of a client's records (tillit/tests/urls_listed.py):
staff refused a client's records are told there is no client here that they may see and
whom to ask; a refused unit, group or log entry is only not found."""

from __future__ import annotations

import pytest

from tillit.tests.test_urls import (  # noqa: F401  (the walk's objects, fixtures and all)
    CLIENT_DATA,
    OWN,
    URLS,
    _request,
    alert,
    assessment,
    attendance,
    conference,
    consent,
    csrf_client,
    decisions,
    emergency,
    group,
    handover,
    intervention,
    meeting,
    member,
    moment,
    objects,
    plans,
    released,
    sample_item,
    shared_assessment,
)

NO_CLIENT = "No client here that you may see"
# The objects in the walk's URLs that are not one client's records (a member leaves a group
# by the group's policy).
NOT_A_CLIENT = {"unit", "group", "group_member", "emergency", "sample_item"}
REFUSED_WITH_404 = [
    (name, method)
    for name, spec in URLS.items()
    if spec.category == CLIENT_DATA
    and spec.args
    and not spec.allowed & OWN
    and "outsider" not in spec.allowed | spec.forbidden
    for method in spec.methods()
]


@pytest.mark.parametrize(("url_name", "method"), REFUSED_WITH_404)
def test_the_404_of_a_clients_records_says_whom_to_ask(url_name, method, objects, personas):  # noqa: F811
    client = csrf_client(personas["outsider"])
    client.cookies["django_language"] = "en"

    response, _queries = _request(url_name, method, None, objects, personas, client=client)

    assert response.status_code == 404
    about_a_client = URLS[url_name].args not in NOT_A_CLIENT
    assert (NO_CLIENT in response.text) == about_a_client
