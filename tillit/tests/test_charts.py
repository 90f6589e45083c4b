"""Server-side line charts (tillit.lib.charts): points placed on the chart, gaps kept."""

from tillit.lib.charts import HEIGHT, PAD_Y, Series, line_chart


def chart(values, labels=("a", "b", "c"), marks=(), high=10):  # type: ignore[no-untyped-def]
    return line_chart(
        [Series("weak", "Weak", list(values))], list(labels), low=0, high=high, marks=marks
    )


def test_a_gap_breaks_the_line_instead_of_joining_across_it():
    drawn = chart([1, None, 3]).series[0]
    assert drawn.path.count("M") == 2 and "L" not in drawn.path
    assert [value for _x, _y, value in drawn.points] == [1, 3]


def test_values_are_placed_from_the_bottom_to_the_top_of_the_scale():
    drawn = chart([0, 5, 10]).series[0]
    ys = [y for _x, y, _value in drawn.points]
    assert ys[0] == HEIGHT - PAD_Y and ys[2] == PAD_Y and ys[0] > ys[1] > ys[2]


def test_a_mark_is_drawn_before_its_position():
    marked = chart([1, 2, 3], marks=[(1, "New contact person")])
    x_of_mark = marked.marks[0][0]
    assert marked.series[0].points[0][0] < x_of_mark < marked.series[0].points[1][0]
