"""A figure of the evidence pages: a table of estimates (tillit.evidence.stats) with a
chart of one of its columns beside it, the same numbers as text and as file rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from tillit.evidence.stats import Estimate
from tillit.lib.charts import Series, bar_chart, line_chart

HIDDEN = ".."  # a value not published (as official statistics write it)
FEW_N = "<5"


@dataclass
class Column:
    key: str
    label: str
    kind: str = "mean"  # mean, share, count, median
    digits: int = 1


@dataclass
class Cell:
    """What a reader sees of one estimate."""

    text: str
    n: str
    few: bool
    hidden: bool
    label: str = ""  # the column's
    is_count: bool = False  # a count is its own n


@dataclass
class Row:
    label: str
    cells: list[Estimate]
    shown: list[Cell] = field(default_factory=list)


@dataclass
class Figure:
    key: str
    title: str
    about: str  # what is counted and how, in a sentence or two
    group: str  # the heading of the first column
    columns: list[Column]
    rows: list[Row]
    chart_column: int = 0  # which column the chart draws
    over_time: bool = False  # rows are periods: a line per column instead of bars
    chart: object = None
    chart_desc: str = ""

    def estimates(self) -> list[Estimate]:
        return [cell for row in self.rows for cell in row.cells]


def _number(value: float, digits: int) -> str:
    return number_format(round(value, digits), decimal_pos=digits)


def _value(estimate: Estimate, column: Column) -> str:
    if estimate.value is None:
        return HIDDEN if estimate.hidden else "\u2013"
    if column.kind in ("count", "own"):
        return _number(estimate.value, 0)
    scale, digits, suffix = (
        (100.0, 0, "\u00a0%") if column.kind == "share" else (1.0, column.digits, "")
    )
    text = _number(estimate.value * scale, digits) + suffix
    if estimate.low is not None and estimate.high is not None and estimate.n > 1:
        low = _number(estimate.low * scale, digits)
        high = _number(estimate.high * scale, digits)
        text += f" ({low}\u2013{high}{suffix})"
    return text


def cell(estimate: Estimate, column: Column) -> Cell:
    return Cell(
        text=_value(estimate, column),
        n=FEW_N if estimate.hidden else str(estimate.n),
        few=estimate.few,
        hidden=estimate.hidden,
        label=column.label,
        is_count=column.kind in ("count", "own"),
    )


def chart_value(estimate: Estimate, column: Column) -> float | None:
    if estimate.value is None:
        return None
    value = estimate.value * (100 if column.kind == "share" else 1)
    return round(value, 0 if column.kind in ("share", "count", "own") else column.digits)


def finish(figure: Figure) -> Figure:
    """Fill in the text of every cell and draw the chart."""
    for row in figure.rows:
        row.shown = [cell(e, c) for e, c in zip(row.cells, figure.columns, strict=True)]
    if figure.over_time:
        values = [
            [chart_value(row.cells[i], column) for row in figure.rows]
            for i, column in enumerate(figure.columns)
        ]
        known = [v for vs in values for v in vs if v is not None]
        high = max(known, default=1.0) or 1.0
        low = min(0.0, *known) if known else 0.0
        figure.chart = line_chart(
            [
                Series(f"s{i % 6}", column.label, vs, shape=("circle", "square", "triangle")[i % 3])
                for i, (column, vs) in enumerate(zip(figure.columns, values, strict=True))
            ],
            [row.label for row in figure.rows],
            low=low,
            high=float(f"{high * 1.1:.2g}") if high > 0 else 1.0,
        )
        figure.chart_desc = _("%(title)s, by period. The table beside it has the numbers.") % {
            "title": figure.title
        }
    else:
        column = figure.columns[figure.chart_column]
        figure.chart = bar_chart(
            [
                (row.label, chart_value(row.cells[figure.chart_column], column))
                for row in figure.rows
            ],
            hidden=HIDDEN,
        )
        figure.chart_desc = _("%(column)s per %(group)s. The table beside it has the numbers.") % {
            "column": column.label,
            "group": figure.group.lower(),
        }
    return figure


def header(figure: Figure) -> list[str]:
    """The columns of the figure as a file: per estimate its n, value, interval and
    whether it is too few to compare."""
    out = [figure.group]
    for column in figure.columns:
        if column.kind in ("count", "own"):
            out.append(column.label)
            continue
        value = _("median") if column.kind == "median" else _("value")
        low = _("lower quartile") if column.kind == "median" else _("95% interval, low")
        high = _("upper quartile") if column.kind == "median" else _("95% interval, high")
        out += [
            f"{column.label}: n",
            f"{column.label}: {value}",
            f"{column.label}: {low}",
            f"{column.label}: {high}",
            f"{column.label}: {_('too few to compare')}",
        ]
    return out


def lines(figure: Figure) -> list[list[object]]:
    """The rows of the figure as a file: numbers as numbers, a hidden value as "..", an n
    under 5 as "<5"."""
    out: list[list[object]] = []
    for row in figure.rows:
        line: list[object] = [row.label]
        for estimate, column in zip(row.cells, figure.columns, strict=True):
            n, value, low, high = estimate.published()
            if column.kind in ("count", "own"):
                line.append(FEW_N if n is None else n)
                continue
            line += [
                FEW_N if n is None else n,
                HIDDEN if value is None else round(value, 4),
                HIDDEN if low is None else round(low, 4),
                HIDDEN if high is None else round(high, 4),
                _("yes") if estimate.few else "",
            ]
        out.append(line)
    return out
