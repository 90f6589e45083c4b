"""k-anonymity computed by hand on small sets (tillit/extracts/anonymity.py), and end to
end: the one 80-year-old of a small unit does not leave Tillit as he is."""

from __future__ import annotations

import csv
import io
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tillit.extracts import services
from tillit.extracts.anonymity import Quasi, band, release, summary
from tillit.extracts.produce import contents, produce
from tillit.extracts.tests import data


def women(n: int, *, age: int = 42, unit: int = 1, year: int = 2022, first: int = 0) -> list[Quasi]:
    return [Quasi(first + i, age, "F", unit, year) for i in range(n)]


@pytest.mark.parametrize(
    ("age", "width", "expected"),
    [
        (0, 5, "0-4"),
        (4, 5, "0-4"),
        (5, 5, "5-9"),
        (39, 5, "35-39"),
        (39, 10, "30-39"),
        (89, 5, "85-89"),
        (90, 5, "90+"),
        (103, 10, "90+"),
        (None, 5, ""),
    ],
)
def test_age_bands(age, width, expected):
    assert band(age, width) == expected


def test_five_alike_are_released_as_they_are():
    out = release(women(5))
    assert {(r.level, r.age_band, r.sex, r.year) for r in out} == {(0, "40-44", "F", 2022)}


def test_a_unique_80_year_old_in_a_small_unit_is_suppressed():
    rows = [*women(6), Quasi(99, 80, "M", 2, 2022), *women(2, unit=2, first=10)]
    out = release(rows)
    assert all(r is not None and r.level == 0 for r in out[:6])
    assert out[6] is None  # alone at every level: 80-84, 80-89, 80-89 without the year
    assert out[7] is None and out[8] is None  # two women are too few in unit 2 as well
    assert summary(out) == {
        "cases": 9,
        "as_ordered": 6,
        "age_widened": 0,
        "year_left_out": 0,
        "suppressed": 3,
    }


def test_rare_five_year_bands_are_widened_to_ten_years():
    # 3 aged 30-34 and 2 aged 35-39: neither band has five, together 30-39 has.
    rows = women(3, age=31) + women(2, age=37, first=3)
    out = release(rows)
    assert {(r.level, r.age_band, r.year) for r in out} == {(1, "30-39", 2022)}
    assert summary(out)["age_widened"] == 5


def test_then_the_year_is_left_out():
    rows = women(3, age=31, year=2021) + women(2, age=37, year=2022, first=3)
    out = release(rows)
    assert {(r.level, r.age_band, r.year) for r in out} == {(2, "30-39", None)}
    assert summary(out)["year_left_out"] == 5


def test_rows_that_pass_keep_their_detail_while_others_are_widened():
    # 20-24 has five; 40-44 (three) and 45-49 (two) have not, 40-49 together has.
    rows = women(5, age=22) + women(3, age=41, first=5) + women(2, age=47, first=8)
    out = release(rows)
    assert [r.level for r in out] == [0] * 5 + [1] * 5
    assert [r.age_band for r in out] == ["20-24"] * 5 + ["40-49"] * 5


def test_persons_are_counted_not_cases():
    same = [Quasi(1, 42, "F", 1, 2022)] * 5  # one woman's five cases
    assert release(same) == [None] * 5


def test_without_demographics_only_unit_and_year_count():
    rows = [Quasi(i, 20 + 13 * i, "FM"[i % 2], 1, 2022) for i in range(5)]
    out = release(rows, demographics=False)
    assert {(r.level, r.age_band, r.sex, r.year) for r in out} == {(0, "", "", 2022)}


def test_unknown_age_and_sex_are_a_group_of_their_own():
    rows = [Quasi(i, None, "", 1, 2022) for i in range(5)] + [Quasi(9, 42, "F", 1, 2022)]
    out = release(rows)
    assert [r.age_band if r else None for r in out] == [""] * 5 + [None]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 30),  # person
            st.one_of(st.none(), st.integers(0, 100)),
            st.sampled_from(["F", "M", ""]),
            st.integers(1, 3),
            st.integers(2018, 2024),
        ),
        max_size=120,
    )
)
def test_every_released_combination_is_shared_by_at_least_k_persons(rows):
    quasi = [Quasi(*row) for row in rows]
    persons = defaultdict(set)
    out = release(quasi)
    for q, r in zip(quasi, out, strict=True):
        if r is not None:
            persons[(r.age_band, r.sex, q.unit, r.year)].add(q.person)
    assert all(len(p) >= 5 for p in persons.values())


@pytest.mark.django_db
def test_the_release_report_counts_the_suppressed_80_year_old():
    w = data.world()
    order = data.approved(w)
    path = produce(services.run_start(actor=w.evaluator, order=order))
    files = contents(path)
    cases = list(csv.DictReader(io.StringIO(files["csv/cases.csv"].decode())))
    assert len(cases) == 12
    assert {c["age_band"] for c in cases} == {"40-44"}
    assert all(c["unit"] == str(w.outpatient.pk) for c in cases)
    assert "80-84" not in files["csv/cases.csv"].decode()
    report = files["report.md"].decode()
    assert "| suppressed (left out) | 1 |" in report
    assert "| checks | 72 | 6 |" in report  # his six checks are left out with him
