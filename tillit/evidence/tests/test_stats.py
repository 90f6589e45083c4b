"""The indices, intervals and small-cell rules by hand, and the files' formula safety."""

from __future__ import annotations

import io

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tillit.evidence import stats
from tillit.evidence.figures import Column, Figure, Row, finish, lines
from tillit.evidence.organisation import INTEGRATED, SPECIALISED, UNMARKED, model_of
from tillit.lib.tables import xlsx_response


def test_upc_by_hand():
    assert stats.upc([3, 1]) == 0.75
    assert stats.upc([1]) == 1.0  # one meeting
    assert stats.upc([]) is None  # no meetings
    assert stats.upc([0, 0]) is None
    assert stats.upc([5]) == 1.0  # all with one worker
    assert stats.upc([1, 1, 1, 1]) == 0.25


def test_coc_by_hand():
    assert stats.coc([3, 1]) == pytest.approx((9 + 1 - 4) / (4 * 3))  # 0.5
    assert stats.coc([1]) is None  # undefined for N < 2
    assert stats.coc([]) is None
    assert stats.coc([5]) == 1.0  # all with one worker
    assert stats.coc([1, 1, 1, 1]) == 0.0  # every meeting with someone new
    assert stats.coc([2, 2]) == pytest.approx((4 + 4 - 4) / (4 * 3))  # 1/3


def test_wilson_by_hand():
    # p = 0.5, n = 10: centre 0.5, half 1.96 * sqrt(0.025 + 0.0096) / 1.384
    low, high = stats.wilson(5, 10)
    assert (round(low, 4), round(high, 4)) == (0.2366, 0.7634)
    low, high = stats.wilson(0, 10)
    assert low == 0.0 and round(high, 4) == 0.2775
    low, high = stats.wilson(10, 10)
    assert round(low, 4) == 0.7225 and high == pytest.approx(1.0)
    assert stats.wilson(0, 0) is None
    with pytest.raises(ValueError):
        stats.wilson(3, 2)


def test_t_interval_by_hand():
    # 1..5: mean 3, s = sqrt(2.5), se = 0.7071, t(0.975, 4) = 2.776
    n, total, total_sq = stats.sums([1, 2, 3, 4, 5])
    mean, low, high = stats.t_interval(n, total, total_sq)
    assert mean == 3
    assert (round(low, 3), round(high, 3)) == (
        round(3 - 2.776 * 0.70711, 3),
        round(3 + 2.776 * 0.70711, 3),
    )
    assert stats.t_interval(0, 0, 0) is None
    assert stats.t_interval(1, 4, 16) == (4, 4, 4)
    assert stats.t_interval(3, 6, 12) == (2, 2, 2)  # no spread


def test_t_quantiles():
    assert stats.t95(1) == 12.706
    assert stats.t95(30) == 2.042
    assert stats.t95(35) == pytest.approx(2.030, abs=0.001)
    assert stats.t95(10_000) == pytest.approx(1.960, abs=0.001)
    with pytest.raises(ValueError):
        stats.t95(0)


def test_small_groups_are_hidden_and_groups_under_20_marked():
    assert stats.mean(4, 20, 100).published() == (None, None, None, None)
    assert stats.share(2, 4).published() == (None, None, None, None)
    assert stats.count(4).published()[0] is None
    five = stats.mean(5, 25, 125)
    assert five.published() == (5, 5, 5, 5) and five.few
    assert stats.share(10, 19).few and not stats.share(10, 20).few
    assert stats.count(20).value == 20 and not stats.count(20).few


def test_bands():
    assert [stats.band(n) for n in (0, 1, 2, 3, 7)] == [
        "none",
        "one",
        "two",
        "three_or_more",
        "three_or_more",
    ]


def test_the_organisation_model_rule():
    assert model_of(does_assessment=True, does_intervention=True) == INTEGRATED
    assert model_of(does_intake=True, does_assessment=True, does_intervention=True) == INTEGRATED
    assert model_of(does_intake=True) == SPECIALISED
    assert model_of(does_assessment=True) == SPECIALISED
    assert model_of(does_intervention=True, does_follow_up=True) == SPECIALISED
    assert model_of() == UNMARKED


groups = st.lists(
    st.tuples(
        st.integers(0, 40),  # n
        st.integers(0, 40),  # successes (clipped to n)
        st.lists(st.floats(0, 10), max_size=40),  # values of a mean
    ),
    min_size=1,
    max_size=8,
)


@given(groups)
def test_no_published_cell_has_fewer_than_five(drawn):
    figure = Figure(
        "f",
        "F",
        "",
        "Group",
        [Column("n", "N", "count"), Column("p", "P", "share"), Column("m", "M")],
        [
            Row(
                f"g{i}",
                [
                    stats.count(n),
                    stats.share(min(k, n), n),
                    stats.mean(*stats.sums(values)),
                ],
            )
            for i, (n, k, values) in enumerate(drawn)
        ],
    )
    smallest = stats.smallest_published(figure.estimates())
    assert smallest is None or smallest >= 5
    for row, line in zip(figure.rows, lines(figure), strict=True):
        # group, count, then n, value, low, high, few for the share and the mean
        for estimate, start in zip(row.cells, (1, 2, 7), strict=True):
            if estimate.n < 5:
                assert line[start] == "<5"
                if start > 1:
                    assert line[start + 1 : start + 4] == ["..", "..", ".."]


def test_an_excel_file_holds_no_formula():
    hostile = ['=HYPERLINK("http://x")', "+46", "-1", "@SUM(A1)", "\tx", "\rx"]
    response = xlsx_response("x.xlsx", [("=Sheet", ["=a", "b"], [[*hostile, 4, 1.5, None]])])
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value not in (None, "")]
    assert all(c.data_type != "f" for c in cells)
    texts = [c.value for c in cells if isinstance(c.value, str)]
    assert all(t.startswith("'") for t in texts if t[1:2] in "=+-@\t\r\n" and t[:1] == "'")
    assert texts[0] == "'=a"
    assert sheet["A2"].value == '\'=HYPERLINK("http://x")'
    assert sheet["G2"].value == 4 and sheet["H2"].value == 1.5
    assert response["Content-Disposition"] == 'attachment; filename="x.xlsx"'


def test_a_figure_draws_a_chart_of_its_numbers(settings):
    figure = finish(
        Figure(
            "f",
            "F",
            "",
            "Group",
            [Column("n", "N", "count"), Column("p", "P", "share")],
            [
                Row("a", [stats.count(40), stats.share(10, 40)]),
                Row("b", [stats.count(3), stats.share(1, 3)]),
            ],
            chart_column=1,
        )
    )
    assert [b.value for b in figure.chart.bars] == [25.0, None]
    assert figure.rows[1].shown[1].text == ".."
