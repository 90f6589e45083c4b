"""The network map: members, circles over time, consent, and the pages that show them."""

import datetime
import math

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation

from tillit.audit.models import AccessLog
from tillit.conftest import client_for
from tillit.network import services
from tillit.network.ecomap import SIZE, layout
from tillit.network.models import Consent, NetworkMember, Placement
from tillit.network.queries import members_on

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def en(user):
    client = client_for(user)
    client.cookies["django_language"] = "en"
    return client


def add(person, worker, name="Mona", circle=1, **kwargs):
    kwargs.setdefault("relation", "family")
    return services.member_add(actor=worker, person=person, circle=circle, name=name, **kwargs)


def test_map_on_an_earlier_date_shows_the_circles_of_that_day(person, worker):
    mona = add(person, worker, on=TODAY - 20 * DAY)
    services.member_move(member=mona, circle=3, on=TODAY - 5 * DAY)
    gone = add(person, worker, "Olle", 2, on=TODAY - 30 * DAY)
    services.member_end(actor=worker, member=gone, reason="Moved away", on=TODAY - 10 * DAY)
    later = add(person, worker, "Pia", on=TODAY - 2 * DAY)

    then = members_on(person.pk, TODAY - 15 * DAY)
    now = members_on(person.pk, TODAY)

    assert [(m.name, m.circle) for m in then] == [("Mona", 1), ("Olle", 2)]
    assert [(m.name, m.circle) for m in now] == [("Pia", 1), ("Mona", 3)]
    assert NetworkMember.objects.filter(pk=gone.pk).exists()  # never hard-deleted
    assert later.placements.count() == 1


def test_moving_to_the_same_circle_adds_no_row(person, worker):
    mona = add(person, worker)
    assert services.member_move(member=mona, circle=1) is None
    assert Placement.objects.filter(member=mona).count() == 1


def test_consent_is_valid_between_given_and_withdrawn(person, worker):
    mona = add(person, worker, on=TODAY - 10 * DAY)
    consent = services.consent_give(
        actor=worker, member=mona, purpose="invite", on=TODAY - 10 * DAY
    )
    services.consent_withdraw(actor=worker, consent=consent, on=TODAY - 3 * DAY)
    assert members_on(person.pk, TODAY - 5 * DAY)[0].consented == {"invite"}
    assert members_on(person.pk, TODAY)[0].consented == set()


def test_a_second_valid_consent_for_the_same_purpose_is_refused(person, worker):
    mona = add(person, worker)
    services.consent_give(actor=worker, member=mona, purpose="share")
    with pytest.raises(ValidationError, match="already a valid consent"):
        services.consent_give(actor=worker, member=mona, purpose="share")


def test_ending_a_member_withdraws_their_consents(person, worker):
    mona = add(person, worker)
    services.consent_give(actor=worker, member=mona, purpose="help")
    services.member_end(actor=worker, member=mona, reason="Asked to be left out")
    assert Consent.objects.get(member=mona).withdrawn_on == TODAY
    with pytest.raises(ValidationError):
        services.member_move(member=mona, circle=2)


# -- the ecomap --------------------------------------------------------------------------


class Fake:
    def __init__(self, pk, name, circle, quality="support"):
        self.pk, self.name, self.circle, self.quality = pk, name, circle, quality


def _inside(node) -> bool:
    margin = 4
    return margin <= node.label_x <= SIZE - margin and margin <= node.label_y <= SIZE - margin


def test_ecomap_is_empty_for_no_members():
    assert layout([]).nodes == []


def test_ecomap_of_one_member_has_the_whole_name():
    (node,) = layout([Fake(1, "Mona Andersson-Lindqvist", 1)]).nodes
    assert node.label == "Mona Andersson-Lindqvist"
    assert node.rotate == 0 and _inside(node)


def test_ecomap_of_sixty_members_stays_legible():
    members = [Fake(i, f"Person with a long name {i}", 1 + i % 3, "both") for i in range(60)]
    nodes = layout(members).nodes
    assert len(nodes) == 60
    assert all(_inside(n) for n in nodes)
    assert all(n.font >= 9 for n in nodes)
    assert all(len(n.label) <= 14 and n.label.endswith("…") for n in nodes)
    assert all(n.line2 for n in nodes)  # "both" is drawn as a double line
    # No two nodes on the same spot.
    assert len({(n.x, n.y) for n in nodes}) == 60


# -- pages ---------------------------------------------------------------------------------


def test_worker_adds_a_person_with_htmx(person, case, worker):
    client = en(worker)
    response = client.post(
        reverse("network:member_add", args=[person.pk]),
        {"name": "Sam", "relation": "friend", "circle": "2", "quality": "strain"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b'id="board"' in response.content
    assert b"<html" not in response.content
    assert b'stroke-dasharray="7 5"' in response.content  # strain is dashed
    member = NetworkMember.objects.get(person=person)
    assert member.placements.get().circle == 2


def test_add_without_a_name_shows_the_error(person, case, worker):
    response = en(worker).post(
        reverse("network:member_add", args=[person.pk]),
        {"relation": "friend", "circle": "1"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert b"This field is required" in response.content
    assert not NetworkMember.objects.exists()


def test_move_works_as_a_plain_post(person, case, worker):
    mona = add(person, worker)
    response = en(worker).post(reverse("network:member_move", args=[mona.pk]), {"circle": "3"})
    assert response.status_code == 302
    assert members_on(person.pk, TODAY)[0].circle == 3


def test_bad_circle_is_refused_without_change(person, case, worker):
    mona = add(person, worker)
    response = en(worker).post(
        reverse("network:member_move", args=[mona.pk]), {"circle": "9"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert b"Choose the inner, middle or outer circle." in response.content
    assert mona.placements.count() == 1


def test_map_page_shows_list_and_svg_and_earlier_date(person, case, worker):
    add(person, worker, "Mona", on=TODAY - 10 * DAY)
    add(person, worker, "Pia")
    client = en(worker)
    now = client.get(reverse("network:map", args=[person.pk]))
    then = client.get(reverse("network:map", args=[person.pk]), {"on": str(TODAY - 5 * DAY)})
    assert now.content.count(b'class="member ') == 2
    assert then.content.count(b'class="member ') == 1
    assert b"Add a person" not in then.content  # the past is read-only


def test_colleague_cannot_move_a_member(person, case, worker, colleague):
    mona = add(person, worker)
    before = AccessLog.objects.count()
    response = en(colleague).post(reverse("network:member_move", args=[mona.pk]), {"circle": "3"})
    assert response.status_code == 403
    assert AccessLog.objects.count() == before
    assert mona.placements.count() == 1


def test_member_page_and_consent_flow(person, case, worker):
    mona = add(person, worker)
    client = en(worker)
    client.post(
        reverse("network:consent_give", args=[mona.pk]),
        {"purpose": "invite", "given_on": str(TODAY)},
    )
    consent = Consent.objects.get(member=mona)
    page = client.get(reverse("network:member", args=[mona.pk]))
    assert b"Invite to meetings and conferences" in page.content
    client.post(reverse("network:consent_withdraw", args=[consent.pk]))
    consent.refresh_from_db()
    assert consent.withdrawn_on == TODAY


def test_outer_members_are_not_behind_inner_ones():
    members = [Fake(i, f"P{i}", c) for i, c in enumerate([1, 1, 1, 2, 2, 2, 3, 3])]
    nodes = layout(members).nodes
    angles = {}
    for n in nodes:
        angles.setdefault(round(math.degrees(math.atan2(n.y - SIZE / 2, n.x - SIZE / 2))), n)
    assert len(angles) == len(nodes)
    inner = [n for n in nodes if n.circle == 1]
    for outer in (n for n in nodes if n.circle > 1):
        a = math.atan2(outer.y - SIZE / 2, outer.x - SIZE / 2)
        assert all(
            abs(math.remainder(a - math.atan2(i.y - SIZE / 2, i.x - SIZE / 2), 2 * math.pi)) > 0.2
            for i in inner
        )


def test_taking_a_member_off_the_map_keeps_them_in_the_history(person, case, worker):
    mona = add(person, worker, on=TODAY - 3 * DAY)
    client = en(worker)
    response = client.post(reverse("network:member_end", args=[mona.pk]), {"reason": "Moved"})
    assert response.url == reverse("network:map", args=[person.pk])
    assert members_on(person.pk, TODAY) == []
    assert [m.name for m in members_on(person.pk, TODAY - DAY)] == ["Mona"]
    page = client.get(reverse("network:member", args=[mona.pk])).content.decode()
    assert "Taken off the map on" in page and "Moved" in page


def test_the_map_speaks_swedish_and_norwegian(person, case, worker):
    client = client_for(worker)
    client.cookies["django_language"] = "sv"
    page = client.get(reverse("network:map", args=[person.pk])).content.decode()
    assert "Lägg till en person" in page and "Familjerådslag" in page
    client.cookies["django_language"] = "nb"
    page = client.get(reverse("network:map", args=[person.pk])).content.decode()
    assert "Legg til en person" in page and "Familieråd" in page


def test_the_board_holds_one_token_whatever_the_number_of_members(person, case, worker):
    """Every move button submits the one form outside the list, which holds the reader's
    token: one token, however many members."""
    page = reverse("network:map", args=[person.pk])
    add(person, worker, "Mona")
    one = en(worker).get(page).content.count(b"csrfmiddlewaretoken")
    add(person, worker, "Pia")
    add(person, worker, "Leo")
    three = en(worker).get(page).content
    assert three.count(b"csrfmiddlewaretoken") == one
    assert three.count(b'form="move-form"') == 3 * 3  # three circles for each member
    assert b'<form id="move-form"' in three


def test_the_board_shows_every_change_at_once(person, case, worker):
    mona = add(person, worker, "Mona", quality="support")
    client = en(worker)
    page = reverse("network:map", args=[person.pk])
    assert b"no consent to invite" in client.get(page).content
    client.post(reverse("network:member_move", args=[mona.pk]), {"circle": "3"})
    moved = client.get(page).content.decode()
    assert 'value="3" aria-pressed="true" disabled' in moved
    client.post(
        reverse("network:consent_give", args=[mona.pk]),
        {"purpose": "invite", "given_on": str(TODAY)},
    )
    assert b"no consent to invite" not in client.get(page).content
    NetworkMember.objects.filter(pk=mona.pk).update(name="Mona L", quality="strain")
    changed = client.get(page).content.decode()
    assert "Mona L" in changed and 'class="member quality-strain"' in changed


def test_an_emergency_reader_gets_no_move_buttons_after_a_workers_visit(
    person, case, worker, other_leader
):
    add(person, worker, "Mona")
    page = reverse("network:map", args=[person.pk])
    assert b'form="move-form"' in en(worker).get(page).content  # the worker has them
    client = en(other_leader)
    client.post(
        reverse("clients:emergency"),
        {
            "id_country": "se",
            "id_number": person.id_number,
            "category": "contact",
            "reason": "Client called in crisis at night",
        },
    )
    seen = client.get(page)
    assert seen.status_code == 200
    assert b"move-form" not in seen.content and b"Mona" in seen.content


def test_the_add_form_is_in_the_readers_language_and_keeps_what_was_typed(person, case, worker):
    page = reverse("network:map", args=[person.pk])
    client = en(worker)
    assert b'for="id_circle">Circle' in client.get(page).content
    client.cookies["django_language"] = "sv"
    assert b'for="id_circle">Cirkel' in client.get(page).content
    refused = en(worker).post(
        reverse("network:member_add", args=[person.pk]), {"circle": "1"}, HTTP_HX_REQUEST="true"
    )
    assert b"This field is required" in refused.content
    assert b"This field is required" not in client.get(page).content
