"""Small server-side SVG line charts: points computed here, drawn by a template
(templates/chart.html), always shown with a data table beside them.

Each chart is drawn twice: wide for a desktop, and narrow for a phone, where a wide
drawing scaled down to 360 pixels would have 6-pixel text. The page shows one of the two
by the screen's width (tillit.css). Along the x axis only as many labels are written as
fit, the latest always among them."""

from __future__ import annotations

import dataclasses
import datetime
import math
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import pgettext

WIDTH, HEIGHT = 640, 240
# About one unit a pixel on a phone of 390 pixels, so that text keeps its size there.
NARROW_WIDTH, NARROW_HEIGHT = 360, 250
PAD_LEFT, PAD_RIGHT, PAD_TOP, PAD_BOTTOM = 36, 36, 16, 44
LABEL_ROOM = 72  # the width one x-axis label needs, in units


@dataclass
class Series:
    key: str
    label: str
    values: list[float | None]  # one per x position; None where not answered
    points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, value
    path: str = ""
    shape: str = "circle"  # of its points: circle, square or triangle


@dataclass
class Chart:
    series: list[Series]
    x_labels: list[str]
    low: float
    high: float
    marks: list[tuple[float, str]] = field(default_factory=list)  # x, label
    width: int = WIDTH
    height: int = HEIGHT
    grid: list[tuple[float, str]] = field(default_factory=list)  # y, label
    ticks: list[tuple[float, str, str]] = field(default_factory=list)  # x, label, year
    narrow: Chart | None = None  # the same chart drawn for a phone

    @property
    def bottom(self) -> float:
        """The y of the x axis."""
        return self.height - PAD_BOTTOM


def line_chart(
    series: list[Series],
    x_labels: list[str] | list[datetime.date],
    *,
    low: float,
    high: float,
    marks: list[tuple[int, str]] = (),  # type: ignore[assignment]
) -> Chart:
    """Place `series` on a chart of len(x_labels) positions from `low` to `high`, wide and
    narrow. Dates as x labels are written short in the active language, with the year
    under the first label and wherever it changes.

    A mark at position i draws a vertical line before that position (e.g. "new contact
    person"). Gaps (None) break a line rather than joining across them.
    """
    labels, years = _labels(x_labels)
    chart = _draw(series, labels, years, low, high, marks, WIDTH, HEIGHT)
    chart.narrow = _draw(series, labels, years, low, high, marks, NARROW_WIDTH, NARROW_HEIGHT)
    return chart


def _labels(x_labels: list[str] | list[datetime.date]) -> tuple[list[str], list[str]]:
    if not all(isinstance(d, datetime.date) for d in x_labels):
        return [str(label) for label in x_labels], ["" for _label in x_labels]
    # Translators: a Django date format for a date on a chart's axis, without the year
    # (j: day, b: month abbreviated in lower case, M: capitalised). Swedish: "j b".
    short = pgettext("chart axis", "j M")
    return [date_format(d, short) for d in x_labels], [str(d.year) for d in x_labels]  # type: ignore[union-attr]


def _draw(
    series: list[Series],
    labels: list[str],
    years: list[str],
    low: float,
    high: float,
    marks: list[tuple[int, str]],
    width: int,
    height: int,
) -> Chart:
    count = max(len(labels), 1)
    step = (width - PAD_LEFT - PAD_RIGHT) / max(count - 1, 1)
    bottom = height - PAD_BOTTOM

    def x(i: float) -> float:
        return round(PAD_LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(bottom - (v - low) / (high - low) * (bottom - PAD_TOP), 1)

    drawn = []
    for s in series:
        parts, pen_down = [], False
        for i, v in enumerate(s.values):
            if v is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{x(i)},{y(v)}")
            pen_down = True
        points = [(x(i), y(v), v) for i, v in enumerate(s.values) if v is not None]
        drawn.append(dataclasses.replace(s, points=points, path=" ".join(parts)))
    grid = [(y(v), f"{v:g}") for v in (low, (low + high) / 2, high)]
    placed = [(round(x(i) - step / 2, 1) if i else x(i), label) for i, label in marks]
    # Every n-th label, counted back from the latest, so that the labels do not overlap.
    every = max(math.ceil(LABEL_ROOM / step), 1)
    shown = sorted(range(len(labels) - 1, -1, -every)) if labels else []
    ticks, year_before = [], ""
    for i in shown:
        year = years[i] if years[i] != year_before else ""
        ticks.append((x(i), labels[i], year))
        year_before = years[i]
    return Chart(drawn, labels, low, high, placed, width, height, grid, ticks)


# -- bar charts ------------------------------------------------------------------------------

BAR_ROW = 40  # a label's line and its bar, in units
BAR_PAD = 8


@dataclass
class Bar:
    label: str
    value: float | None  # None: not shown (a cell too small to publish)
    y: float = 0  # the top of its row
    length: float = 0
    text: str = ""  # the value as written at the end of the bar
    end: float = 0  # where that is written


@dataclass
class BarChart:
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    narrow: BarChart | None = None  # the same chart drawn for a phone

    @property
    def left(self) -> int:
        return BAR_PAD


def bar_chart(bars: list[tuple[str, float | None]], *, hidden: str = "\u2013") -> BarChart:
    """Horizontal bars, each under its label (so a long label fits a phone as well),
    wide and narrow like `line_chart`. A bar whose value is None is drawn empty and
    written `hidden`; the longest bar spans the room the values leave."""
    return dataclasses.replace(
        _draw_bars(bars, hidden, WIDTH), narrow=_draw_bars(bars, hidden, NARROW_WIDTH)
    )


def _draw_bars(bars: list[tuple[str, float | None]], hidden: str, width: int) -> BarChart:
    high = max((v for _label, v in bars if v), default=0) or 1
    room = width - 2 * BAR_PAD - 48  # the value is written after the bar
    drawn = [
        Bar(
            label,
            value,
            y=BAR_PAD + i * BAR_ROW,
            length=round(value / high * room, 1) if value else 0,
            text=hidden if value is None else f"{value:g}",
            end=round(BAR_PAD + (value / high * room if value else 0) + 6, 1),
        )
        for i, (label, value) in enumerate(bars)
    ]
    return BarChart(drawn, width, BAR_PAD * 2 + len(bars) * BAR_ROW)
