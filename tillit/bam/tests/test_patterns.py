"""Patterns per person, against moments counted by hand; and query budgets that hold
however many moments there are."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from tillit.bam import queries, services
from tillit.bam.models import Moment
from tillit.conftest import client_for
from tillit.factories import CaseFactory, MomentFactory


def at(day: str) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.fromisoformat(f"{day} 12:00"))


@pytest.fixture
def history(case, worker, other_unit):
    """Five moments of Kim, counted by hand below; one in a case the worker cannot see."""
    rows = [
        # day, kind, confidence, tags, alternative
        ("2025-01-10", "weak", 2, ["payday", "alone"], "Call my sister"),
        ("2025-01-20", "weak", 4, ["payday"], ""),
        ("2025-01-25", "strong", 6, ["alone"], "Went for a walk"),
        ("2025-03-05", "strong", 8, ["payday"], ""),
        ("2025-03-06", "weak", None, [], ""),
    ]
    for day, kind, confidence, tags, alternative in rows:
        services.moment_record(
            actor=worker,
            person=case.person,
            case=case,
            kind=kind,
            happened_at=at(day),
            title=f"{kind} {day}",
            confidence=confidence,
            tags=tags,
            **{"what_worked" if kind == "strong" else "instead_next_time": alternative},
        )
    hidden = CaseFactory(person=case.person, unit=other_unit)
    MomentFactory(case=hidden, happened_at=at("2025-01-15"), confidence=0)
    MomentFactory(happened_at=at("2025-01-15"))  # someone else's


def _patterns(worker, person, **params):
    response = client_for(worker).get(reverse("bam:patterns", args=[person.pk]), params)
    assert response.status_code == 200
    return response.context


def test_moments_and_confidence_per_month(worker, person, history):
    rows = _patterns(worker, person)["rows"]

    assert [(p.label, p.weak, p.strong, p.confidence) for p in rows] == [
        ("2025-01", 2, 1, 4.0),  # (2 + 4 + 6) / 3
        ("2025-02", 0, 0, None),  # a month with no moment is shown, not skipped
        ("2025-03", 1, 1, 8.0),  # the moment without confidence does not count as 0
    ]


def test_moments_and_confidence_per_week(worker, person, history):
    rows = _patterns(worker, person, by="week")["rows"]

    assert len(rows) == 9  # weeks 2 to 10
    counted = [(p.label, p.weak, p.strong, p.confidence) for p in rows if p.weak or p.strong]
    assert counted == [
        ("2025-W02", 1, 0, 2.0),
        ("2025-W04", 1, 1, 5.0),
        ("2025-W10", 1, 1, 8.0),
    ]


def test_tags_in_weak_and_in_strong_moments(worker, person, history):
    tags = _patterns(worker, person)["tags"]
    assert tags == [
        {"name": "payday", "weak": 2, "strong": 1},
        {"name": "alone", "weak": 1, "strong": 1},
    ]


def test_alternatives_newest_first(worker, person, history):
    alternatives = _patterns(worker, person)["alternatives"]
    assert [(a["kind"], a["what_worked"] or a["instead_next_time"]) for a in alternatives] == [
        ("strong", "Went for a walk"),
        ("weak", "Call my sister"),
    ]


def test_page_has_charts_with_data_tables(worker, person, history):
    response = client_for(worker).get(reverse("bam:patterns", args=[person.pk]))
    html = response.content.decode()
    assert html.count("<svg") == 4  # two charts, each drawn wide and narrow
    assert html.count("<table") == 2
    assert '<th scope="row" class="nowrap">2025-02</th><td>0</td><td>0</td><td>—</td>' in html


def test_the_page_shows_every_change_at_once(worker, person, case, history):
    """A new moment shows on the next visit to the patterns."""
    client = client_for(worker)
    url = reverse("bam:patterns", args=[person.pk])
    first = client.get(url).content.decode()
    assert "2025-04" not in first
    services.moment_record(
        actor=worker,
        person=person,
        case=case,
        kind="strong",
        happened_at=at("2025-04-02"),
        title="April",
        confidence=9,
        tags=["sunday"],
        what_worked="Phoned a friend",
    )
    grown = client.get(url).content.decode()
    assert '<th scope="row" class="nowrap">2025-04</th><td>0</td><td>1</td><td>9</td>' in grown
    assert "sunday" in grown and "Phoned a friend" in grown
    Moment.objects.filter(title="April").update(confidence=3, what_worked="Went to a meeting")
    changed = client.get(url).content.decode()
    assert "<td>3</td>" in changed and "Went to a meeting" in changed
    assert "Phoned a friend" not in changed
    # the confidence chart is drawn again too: its point for April says 3, not 9
    assert "Mean confidence: 3" in changed and "Mean confidence: 9" not in changed


def test_the_page_is_in_the_readers_language(worker, person, history):
    client = client_for(worker)
    url = reverse("bam:patterns", args=[person.pk])
    assert '<th scope="col">Weak moments</th>' in client.get(url).content.decode()
    client.cookies["django_language"] = "sv"
    swedish = client.get(url).content.decode()
    assert '<th scope="col">Svaga ögonblick</th>' in swedish
    assert "Svaga ögonblick</span>" in swedish  # the chart's legend


def test_no_moments_says_so(worker, person, case):
    response = client_for(worker).get(reverse("bam:patterns", args=[person.pk]))
    assert response.context["rows"] == []
    assert "No moments yet." in response.content.decode()


def test_empty_queryset_gives_no_periods():
    assert queries.periods(Moment.objects.none()) == []


# -- query budgets -----------------------------------------------------------------------

# session, its user with their roles, person with cases and grant, audit row, periods, tags,
# alternatives
PATTERNS_QUERIES = 7
# session, its user with their roles, person with cases and grant, audit row, moments with
# their writers, their tags, the person's tags
TIMELINE_QUERIES = 8  # and the client's navigation's attention counts
# session, its user with their roles, moment with its case and the user's assignment, audit
# row, notes, tags, writer
BOARD_QUERIES = 7


def _grow(worker, case, count: int) -> Moment:
    start = timezone.now() - datetime.timedelta(days=400)
    moment = None
    for n in range(count):
        moment = services.moment_record(
            actor=worker,
            person=case.person,
            case=case,
            kind="weak" if n % 3 else "strong",
            happened_at=start + datetime.timedelta(days=n * 7),
            title=f"Moment {n}",
            confidence=n % 11,
            tags=[f"tag {n % 5}", "payday"],
            **{"instead_next_time" if n % 3 else "what_worked": f"Alternative {n}"},
        )
        for column in ("antecedent", "behaviour", "consequence"):
            services.note_add(actor=worker, moment=moment, column=column, text=f"{column} {n}")
    assert moment is not None
    return moment


@pytest.mark.parametrize("count", [2, 40])
def test_patterns_query_count_is_constant(worker, case, person, count, django_assert_num_queries):
    _grow(worker, case, count)
    client = client_for(worker)
    with django_assert_num_queries(PATTERNS_QUERIES):
        response = client.get(reverse("bam:patterns", args=[person.pk]))
    assert sum(p.weak + p.strong for p in response.context["rows"]) == count


@pytest.mark.parametrize("count", [2, 40])
def test_timeline_query_count_is_constant(worker, case, person, count, django_assert_num_queries):
    _grow(worker, case, count)
    client = client_for(worker)
    with django_assert_num_queries(TIMELINE_QUERIES):
        response = client.get(reverse("bam:person", args=[person.pk]))
    assert len(response.context["moments"]) == count


@pytest.mark.parametrize("count", [1, 30])
def test_board_query_count_is_constant(worker, case, count, django_assert_num_queries):
    moment = _grow(worker, case, 1)
    for n in range(count):
        services.note_add(actor=worker, moment=moment, column="antecedent", text=f"more {n}")
    client = client_for(worker)
    with django_assert_num_queries(BOARD_QUERIES):
        response = client.get(reverse("bam:board", args=[moment.pk]))
    assert len(response.context["columns"][0]["notes"]) == count + 1
