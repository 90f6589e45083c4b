"""Server-side line charts (tillit.lib.charts): points placed on the chart, gaps kept, and
on a phone's narrow drawing the dates still written, as many as fit."""

import datetime
import itertools

from django.utils import translation

from tillit.lib.charts import HEIGHT, LABEL_ROOM, PAD_BOTTOM, PAD_TOP, Series, line_chart


def chart(values, labels=("a", "b", "c"), marks=(), high=10):
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
    assert ys[0] == HEIGHT - PAD_BOTTOM and ys[2] == PAD_TOP and ys[0] > ys[1] > ys[2]


def test_a_mark_is_drawn_before_its_position():
    marked = chart([1, 2, 3], marks=[(1, "New contact person")])
    x_of_mark = marked.marks[0][0]
    assert marked.series[0].points[0][0] < x_of_mark < marked.series[0].points[1][0]


def test_the_narrow_drawing_is_the_same_data_for_a_phone():
    wide = chart([1, None, 3])
    narrow = wide.narrow
    assert narrow is not None and narrow.width < 400 < wide.width
    assert [v for _x, _y, v in narrow.series[0].points] == [1, 3]
    assert narrow.series[0].path != wide.series[0].path  # drawn anew, not shared


def test_dates_are_written_short_with_the_year_where_it_starts():
    days = [datetime.date(2025, 12, 1), datetime.date(2025, 12, 15), datetime.date(2026, 1, 5)]
    with translation.override("en"):
        drawn = chart([1, 2, 3], labels=days)
    assert [(label, year) for _x, label, year in drawn.ticks] == [
        ("1 Dec", "2025"),
        ("15 Dec", ""),
        ("5 Jan", "2026"),
    ]
    with translation.override("sv"):
        assert chart([1, 2, 3], labels=days).ticks[0][1] == "1 dec"


def test_labels_that_would_overlap_are_left_out_the_latest_kept():
    days = [datetime.date(2026, 1, 1) + datetime.timedelta(weeks=i) for i in range(20)]
    drawn = chart(list(range(20)), labels=days)
    for drawing in (drawn, drawn.narrow):
        xs = [x for x, _label, _year in drawing.ticks]
        assert 2 <= len(xs) < 20
        assert all(b - a >= LABEL_ROOM for a, b in itertools.pairwise(xs))
        assert drawing.ticks[-1][0] == drawing.series[0].points[-1][0]  # the latest meeting
    assert len(drawn.narrow.ticks) < len(drawn.ticks)


def test_every_label_is_written_when_there_is_room():
    assert [label for _x, label, _year in chart([1, 2, 3]).narrow.ticks] == ["a", "b", "c"]
