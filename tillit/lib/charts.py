"""Small server-side SVG line charts: points computed here, drawn by a template, always
shown with a data table beside them."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH, HEIGHT, PAD_LEFT, PAD_RIGHT, PAD_Y = 640, 240, 36, 12, 16


@dataclass
class Series:
    key: str
    label: str
    values: list[float | None]  # one per x position; None where not answered
    points: list[tuple[float, float, float]] = field(default_factory=list)  # x, y, value
    path: str = ""


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


def line_chart(
    series: list[Series],
    x_labels: list[str],
    *,
    low: float,
    high: float,
    marks: list[tuple[int, str]] = (),  # type: ignore[assignment]
) -> Chart:
    """Place `series` on a chart of len(x_labels) positions from `low` to `high`.

    A mark at position i draws a vertical line before that position (e.g. "new contact
    person"). Gaps (None) break a line rather than joining across them.
    """
    count = max(len(x_labels), 1)
    step = (WIDTH - PAD_LEFT - PAD_RIGHT) / max(count - 1, 1)

    def x(i: float) -> float:
        return round(PAD_LEFT + i * step, 1)

    def y(v: float) -> float:
        return round(HEIGHT - PAD_Y - (v - low) / (high - low) * (HEIGHT - 2 * PAD_Y), 1)

    for s in series:
        s.points = [(x(i), y(v), v) for i, v in enumerate(s.values) if v is not None]
        parts, pen_down = [], False
        for i, v in enumerate(s.values):
            if v is None:
                pen_down = False
                continue
            parts.append(f"{'L' if pen_down else 'M'}{x(i)},{y(v)}")
            pen_down = True
        s.path = " ".join(parts)
    grid = [(y(v), f"{v:g}") for v in (low, (low + high) / 2, high)]
    placed = [(round(x(i) - step / 2, 1) if i else x(i), label) for i, label in marks]
    return Chart(series, x_labels, low, high, placed, grid=grid)
