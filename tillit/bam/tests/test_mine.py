"""The client's own moments in the portal: written on a phone between meetings, seen in
"my strong moments", with the same patterns the worker sees."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.bam.models import Moment, Source
from tillit.conftest import client_for
from tillit.factories import MomentFactory


def _when(**delta) -> str:  # type: ignore[no-untyped-def]
    return (timezone.localtime() - datetime.timedelta(**delta)).strftime("%Y-%m-%dT%H:%M")


def _post(client, **data):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "en"
    return client.post(reverse("bam:mine_new"), data, follow=True)


def test_client_records_a_strong_moment_and_sees_it(case, client_self):
    client = client_for(client_self)
    response = _post(
        client,
        kind="strong",
        happened_at=_when(hours=3),
        title="I said no at the party",
        what_worked="I called my sister",
        new_tags="party, friends",
        confidence="7",
    )
    moment = Moment.objects.get()
    assert moment.source == Source.CLIENT and moment.written_by is None
    assert moment.person == case.person and moment.case == case
    page = response.content.decode()
    assert "I said no at the party" in page and "I called my sister" in page
    assert response.context["rows"][-1].strong == 1


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "weak"}, "Write at least"),
        ({"kind": "weak", "title": "x", "days": -2}, "future"),
        (
            {"kind": "weak", "title": "x", "confidence": "11"},
            "Confidence is a number from 0 to 10.",
        ),
    ],
)
def test_bad_moments_are_refused_with_a_clear_message(case, client_self, data, message):
    days = data.pop("days", 0)
    data["happened_at"] = _when(days=days, minutes=5)
    response = _post(client_for(client_self), **data)
    assert message in response.content.decode()
    assert not Moment.objects.exists()


def test_client_sees_only_their_own_moments(case, worker, client_self, client_other):
    MomentFactory(case=case, kind="strong", title="Kim's own", written_by=worker)
    other = client_for(client_other).get(reverse("bam:mine")).content.decode()
    assert "Kim&#x27;s own" not in other and "Kim's own" not in other
    mine = client_for(client_self).get(reverse("bam:mine")).content.decode()
    assert "Kim&#x27;s own" in mine


@pytest.mark.parametrize("count", [2, 30])
def test_my_moments_query_count_is_constant(
    case, worker, client_self, count, django_assert_num_queries
):
    for n in range(count):
        MomentFactory(
            case=case,
            kind="strong" if n % 2 else "weak",
            written_by=worker,
            happened_at=timezone.now() - datetime.timedelta(days=7 * n + 1),
            confidence=n % 11,
        )
    client = client_for(client_self)
    with django_assert_num_queries(MINE_QUERIES):
        client.get(reverse("bam:mine"))


# session, its user with their roles, account, audit row, open case, the client's earlier
# tags, periods, tag counts, alternatives, strong moments, their tags
MINE_QUERIES = 11
