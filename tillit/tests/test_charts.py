"""The key a chart's drawing is cached under (tillit.lib.charts.Chart.key)."""

from tillit.lib.charts import Series, line_chart


def chart(values, labels=("a", "b", "c"), marks=(), label="Weak", high=10):  # type: ignore[no-untyped-def]
    return line_chart(
        [Series("weak", label, list(values))], list(labels), low=0, high=high, marks=marks
    )


def test_the_same_data_gives_the_same_key():
    assert chart([1, None, 3]).key == chart([1, None, 3]).key


def test_whatever_is_drawn_changes_the_key():
    key = chart([1, None, 3]).key
    assert chart([1, 2, 3]).key != key  # a value
    assert chart([1, None, 3], label="Svag").key != key  # a label, as translated
    assert chart([1, None, 3], marks=[(1, "New contact person")]).key != key  # a mark
    assert chart([1, None, 3], high=12).key != key  # the scale
    assert chart([1, None, 3, 4], labels="abcd").key != key  # the number of positions
