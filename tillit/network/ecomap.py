"""The ecomap: the client in the centre, three circles of closeness, one line per member.

Positions are computed here and drawn by a template (as the charts in tillit/lib/charts.py).
Lines differ by pattern, not only colour: support is solid, strain dashed, both a double
line. Members are spread by angle on their ring; when a ring is crowded the labels turn
to run outwards along the radius, get smaller and are cut short (the full name is in the
title and in the table beside the map).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

SIZE = 760
CENTRE = SIZE / 2
RADII = {1: 110, 2: 200, 3: 290}
# Room for a radial label: up to the next ring, and to the edge for the outer ring.
LABEL_ROOM = {1: 72, 2: 72, 3: 78}
NODE_R = 7
HORIZONTAL_MAX = {1: 6, 2: 10, 3: 14}  # more members than this on a ring: radial labels
CHAR_WIDTH = 0.6  # of the font size, a fair average for a sans-serif face


@dataclass
class Node:
    pk: int
    name: str
    label: str
    circle: int
    quality: str
    x: float
    y: float
    # The line from the client; for "both" a second, parallel line.
    line: tuple[float, float, float, float]
    line2: tuple[float, float, float, float] | None
    label_x: float
    label_y: float
    font: float
    anchor: str
    rotate: float


@dataclass
class Ecomap:
    nodes: list[Node]
    size: int = SIZE
    centre: float = CENTRE
    radii: tuple[int, ...] = tuple(RADII.values())


def truncate(name: str, chars: int) -> str:
    chars = max(chars, 3)
    return name if len(name) <= chars else name[: chars - 1].rstrip() + "…"


def _gap(a: float, b: float) -> float:
    d = abs(a - b) % (2 * math.pi)
    return min(d, 2 * math.pi - d)


def _best_offset(count: int, taken: list[float]) -> float:
    """The turn of a ring of `count` members (from the top, in twelfths of their spacing)
    that keeps them furthest from the angles in `taken`."""
    top = -math.pi / 2
    if not count or not taken:
        return top
    spacing = 2 * math.pi / count
    best, best_gap = top, -1.0
    for k in range(12):
        offset = top + spacing * k / 12
        gap = min(_gap(offset + spacing * i, t) for i in range(count) for t in taken)
        if gap > best_gap + 1e-9:
            best, best_gap = offset, gap
    return best


def layout(members: list) -> Ecomap:
    """Place `members` (with `.pk`, `.name`, `.circle`, `.quality`) on the map."""
    rings: dict[int, list] = {1: [], 2: [], 3: []}
    for member in members:
        rings[member.circle].append(member)
    nodes = []
    taken: list[float] = []
    for circle, ring in rings.items():
        count = len(ring)
        radius = RADII[circle]
        radial = count > HORIZONTAL_MAX[circle]
        # Crowded rings get smaller type, never below 9 (still legible on a tablet).
        font = 15.0 if count <= HORIZONTAL_MAX[circle] else max(9.0, 13.0 - count / 4)
        # Turn each ring so that its members sit as far as can be from the angles already
        # taken on the rings inside it: a line to an outer member then does not run
        # through an inner one.
        offset = _best_offset(count, taken)
        for i, member in enumerate(ring):
            angle = offset + 2 * math.pi * i / count
            taken.append(angle)
            cos, sin = math.cos(angle), math.sin(angle)
            x, y = CENTRE + radius * cos, CENTRE + radius * sin
            if radial:
                room = LABEL_ROOM[circle] - NODE_R
                chars = int(room / (font * CHAR_WIDTH))
                gap = NODE_R + 4
                lx, ly = CENTRE + (radius + gap) * cos, CENTRE + (radius + gap) * sin
                degrees = math.degrees(angle)
                # Keep text upright: on the left half, turn it round and anchor at the end.
                if cos < 0:
                    rotate, anchor = degrees + 180, "end"
                else:
                    rotate, anchor = degrees, "start"
            else:
                # Horizontal labels below (or above, on the upper half) the node, as wide
                # as the share of the ring each member has.
                share = 2 * math.pi * radius / max(count, 1)
                width = min(240.0, share - 8, 2 * (min(x, SIZE - x) - 4))
                chars = int(width / (font * CHAR_WIDTH))
                lx = x
                ly = y + (NODE_R + font / 2 + 4) * (1 if sin >= -0.2 else -1)
                rotate, anchor = 0.0, "middle"
            start = 24  # leave the client's own circle clear
            x1, y1 = CENTRE + start * cos, CENTRE + start * sin
            x2, y2 = x - NODE_R * cos, y - NODE_R * sin
            line = (round(x1, 1), round(y1, 1), round(x2, 1), round(y2, 1))
            line2 = None
            if member.quality == "both":
                dx, dy = -sin * 2.5, cos * 2.5
                line = (round(x1 - dx, 1), round(y1 - dy, 1), round(x2 - dx, 1), round(y2 - dy, 1))
                line2 = (
                    round(x1 + dx, 1),
                    round(y1 + dy, 1),
                    round(x2 + dx, 1),
                    round(y2 + dy, 1),
                )
            nodes.append(
                Node(
                    pk=member.pk,
                    name=member.name,
                    label=truncate(member.name, chars),
                    circle=circle,
                    quality=member.quality,
                    x=round(x, 1),
                    y=round(y, 1),
                    line=line,
                    line2=line2,
                    label_x=round(lx, 1),
                    label_y=round(ly, 1),
                    font=round(font, 1),
                    anchor=anchor,
                    rotate=round(rotate, 1),
                )
            )
    return Ecomap(nodes)
