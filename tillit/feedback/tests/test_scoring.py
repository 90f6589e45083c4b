"""Scoring and alert rules against hand-computed cases, and invariants by hypothesis."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillit.feedback.scoring import AnswerError, ItemSpec, score, triggered

RELATION = [ItemSpec("heard"), ItemSpec("matters"), ItemSpec("way"), ItemSpec("trust")]
LIFE = [
    ItemSpec("self"),
    ItemSpec("close"),
    ItemSpec("everyday"),
    ItemSpec("habit", optional=True),
    ItemSpec("overall"),
]


def _score(answers, items=RELATION, **kw):
    return score(answers, items, method=kw.pop("method", "mean"), low=0, high=10, **kw)


def test_mean_of_four_items():
    assert _score({"heard": 8, "matters": 7, "way": 6, "trust": 9}) == 7.5


def test_mean_is_rounded_to_two_decimals():
    assert _score({"heard": 10, "matters": 10, "way": 9, "trust": 0}) == 7.25
    assert (
        score(
            {"a": 1, "b": 1, "c": 2},
            [ItemSpec("a"), ItemSpec("b"), ItemSpec("c")],
            method="mean",
            low=0,
            high=10,
        )
        == 1.33
    )


def test_sum_and_max():
    answers = {"heard": 8, "matters": 7, "way": 6, "trust": 9}
    assert _score(answers, method="sum") == 30.0
    assert _score(answers, method="max") == 9.0


def test_missing_required_item_is_refused():
    with pytest.raises(AnswerError) as error:
        _score({"heard": 8, "matters": 7, "way": 6})
    assert (error.value.code, error.value.item) == ("missing", "trust")


def test_optional_item_may_be_left_out():
    answers = {"self": 4, "close": 6, "everyday": 5, "overall": 5}
    assert _score(answers, LIFE) == 5.0


def test_switched_off_item_is_ignored_even_when_answered():
    answers = {"self": 4, "close": 6, "everyday": 5, "habit": 0, "overall": 5}
    assert _score(answers, LIFE) == 4.0
    assert _score(answers, LIFE, switched_off=frozenset({"habit"})) == 5.0


@pytest.mark.parametrize("bad", [-1, 11, 100])
def test_out_of_range_is_refused(bad):
    with pytest.raises(AnswerError) as error:
        _score({"heard": bad, "matters": 7, "way": 6, "trust": 9})
    assert error.value.code == "range"


def test_first_meeting_can_only_fire_below():
    rules = {"below": 7.0, "drop": 2.0, "not_better_after": 4}
    assert triggered(rules, [], 6.0) == ["below"]
    assert triggered(rules, [], 8.0) == []


def test_below_is_strict():
    assert triggered({"below": 7.0}, [], 7.0) == []
    assert triggered({"below": 7.0}, [], 6.99) == ["below"]


def test_drop_from_previous_meeting():
    assert triggered({"drop": 2.0}, [9.0, 9.5], 7.5) == ["drop"]
    assert triggered({"drop": 2.0}, [5.0, 9.5], 7.6) == []


def test_life_not_better_after_four_meetings():
    rules = {"not_better_after": 4}
    assert triggered(rules, [5.0, 5.5], 5.0) == []  # only three meetings so far
    assert triggered(rules, [5.0, 5.5, 6.0], 5.0) == ["not_better"]  # 4th, no better than 1st
    assert triggered(rules, [5.0, 5.5, 6.0], 5.25) == []
    assert triggered(rules, [3.0, 5.0, 5.5, 6.0], 5.0) == ["not_better"]  # window moves


def test_unwanted_effects_a_lot():
    assert triggered({"at_least": 2}, [], 2.0) == ["at_least"]
    assert triggered({"at_least": 2}, [], 1.0) == []


ANSWER = st.integers(min_value=0, max_value=10)


@given(st.lists(ANSWER, min_size=4, max_size=4))
def test_mean_lies_between_lowest_and_highest_answer(values):
    answers = dict(zip(["heard", "matters", "way", "trust"], values, strict=True))
    result = _score(answers)
    assert min(values) - 0.005 <= result <= max(values) + 0.005


@given(st.lists(ANSWER, min_size=4, max_size=4), st.integers(0, 3))
def test_raising_one_answer_never_lowers_the_score(values, index):
    keys = ["heard", "matters", "way", "trust"]
    before = _score(dict(zip(keys, values, strict=True)))
    raised = list(values)
    raised[index] = min(10, raised[index] + 1)
    assert _score(dict(zip(keys, raised, strict=True))) >= before


@given(st.lists(st.floats(0, 10), max_size=6), st.floats(0, 10))
def test_a_better_score_fires_no_more_rules(earlier, current):
    rules = {"below": 7.0, "drop": 2.0, "not_better_after": 4}
    worse = triggered(rules, earlier, current)
    better = triggered(rules, earlier, min(10.0, current + 1))
    assert set(better) <= set(worse)
