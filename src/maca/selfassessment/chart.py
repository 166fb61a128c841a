"""The radar (star) chart of the self-assessment, drawn on the server as SVG from the computed results.

One axis per area, from the centre (0%) to the edge (100%), clockwise from the top; each series is a closed line
through its values. Lines differ by pattern as well as colour, so that the chart does not rely on colour alone, and
the chart is an image with a title and a description: the table of results beside it is its full text alternative.
Presentation attributes only (no `style`), so that the page's Content-Security-Policy allows it.
"""

import math
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
HEIGHT = 480  # the chart; the legend follows, one line per series
CENTRE = (WIDTH / 2, 250.0)
RADIUS = 160.0
RINGS = (0.25, 0.5, 0.75, 1.0)
LABEL_WIDTH = 24  # characters on a line of an axis label
LABEL_LINES = 3
LINE_HEIGHT = 15

GRID = "#b1b4b6"
TEXT = "#0b0c0c"
BLUE = "#1d70b8"
GREY = "#505a5f"


@dataclass(frozen=True)
class Series:
    """One line of the chart: a name for the legend, a value (0 to 1, None for none) per axis, a colour, and
    whether it is dashed."""

    name: str
    values: Sequence[float | None]
    colour: str = BLUE
    dashed: bool = False


def _angle(index: int, count: int) -> float:
    """The angle of an axis in radians: the first points straight up, the others follow clockwise."""
    return -math.pi / 2 + 2 * math.pi * index / count


def radar_points(
    values: Sequence[float | None], *, centre: tuple[float, float] = CENTRE, radius: float = RADIUS
) -> list[tuple[float, float]]:
    """Where each value sits on its axis; values are clamped to 0 to 1, and None sits at the centre."""
    count = len(values)
    points = []
    for index, value in enumerate(values):
        share = min(max(value or 0.0, 0.0), 1.0)
        angle = _angle(index, count)
        points.append(
            (
                round(centre[0] + radius * share * math.cos(angle), 2),
                round(centre[1] + radius * share * math.sin(angle), 2),
            )
        )
    return points


def _polygon(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


def _label_lines(label: str) -> list[str]:
    lines = textwrap.wrap(label, LABEL_WIDTH) or [""]
    if len(lines) > LABEL_LINES:
        lines = lines[:LABEL_LINES]
        lines[-1] = lines[-1][: LABEL_WIDTH - 1].rstrip() + "…"
    return lines


def _axis_label(index: int, count: int, label: str) -> str:
    angle = _angle(index, count)
    cos, sin = math.cos(angle), math.sin(angle)
    x = CENTRE[0] + (RADIUS + 14) * cos
    y = CENTRE[1] + (RADIUS + 14) * sin
    anchor = "middle" if abs(cos) < 0.3 else ("start" if cos > 0 else "end")
    lines = _label_lines(f"{index + 1}. {label}")
    # Labels above the chart grow upwards, those below downwards, those at the sides about their middle.
    if sin < -0.3:
        top = y - (len(lines) - 1) * LINE_HEIGHT
    elif sin > 0.3:
        top = y + LINE_HEIGHT * 0.8
    else:
        top = y - (len(lines) - 1) * LINE_HEIGHT / 2 + 4
    spans = "".join(
        f'<tspan x="{x:.1f}" y="{top + n * LINE_HEIGHT:.1f}">{escape(line)}</tspan>' for n, line in enumerate(lines)
    )
    return f'<text text-anchor="{anchor}" font-size="13" fill="{TEXT}">{spans}</text>'


def tint(colour: str, share: float) -> str:
    """A colour (#rrggbb) mixed with white, `share` of it kept: a light fill that hides nothing under it."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(255 - (255 - c) * share):02x}" for c in channels)


def _dash(line: Series) -> str:
    return ' stroke-dasharray="8 5"' if line.dashed else ""


def _marker(line: Series, x: float, y: float) -> str:
    """A point of a line: a circle on a solid line, a square on a dashed one (so that shape tells them apart too)."""
    if line.dashed:
        return f'<rect x="{x - 4:g}" y="{y - 4:g}" width="8" height="8" fill="{line.colour}"/>'
    return f'<circle cx="{x:g}" cy="{y:g}" r="4" fill="{line.colour}"/>'


def radar_svg(
    *, axes: Sequence[str], series: Sequence[Series], title: str, description: str, chart_id: str
) -> SafeString:
    """The radar chart as an inline SVG image. ValueError when there are fewer than three axes (a radar needs them)
    or a series does not have one value per axis."""
    count = len(axes)
    if count < 3:
        raise ValueError("A radar chart needs at least three areas.")
    for line in series:
        if len(line.values) != count:
            raise ValueError(f"{line.name} has {len(line.values)} values for {count} areas.")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT + 24 * len(series)}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" class="maca-radar">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for ring in RINGS:
        parts.append(
            f'<polygon points="{_polygon(radar_points([ring] * count))}" fill="none" stroke="{GRID}" stroke-width="1"/>'
        )
    for index, (x, y) in enumerate(radar_points([1.0] * count)):
        parts.append(
            f'<line x1="{CENTRE[0]:g}" y1="{CENTRE[1]:g}" x2="{x:g}" y2="{y:g}" stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_axis_label(index, count, axes[index]))
    for line in series:
        points = radar_points(line.values)
        # A dashed line is drawn without a fill, so that the lines under it stay visible.
        fill = "none" if line.dashed else tint(line.colour, 0.15)
        parts.append(
            f'<polygon points="{_polygon(points)}" fill="{fill}" stroke="{line.colour}" stroke-width="3"{_dash(line)}>'
            f"<title>{escape(line.name)}</title></polygon>"
        )
        parts.extend(_marker(line, x, y) for x, y in points)
    for ring in RINGS:
        # The scale on top of the lines, on white to stay readable where a line crosses it.
        x, y = radar_points([ring] * count)[0]
        parts.append(
            f'<rect x="{x + 3:g}" y="{y + 2:g}" width="28" height="13" fill="#ffffff" stroke="none"/>'
            f'<text x="{x + 5:g}" y="{y + 12:g}" font-size="11" fill="{GREY}">{round(ring * 100)}%</text>'
        )
    for index, line in enumerate(series):
        y = HEIGHT + 24 * index
        parts.append(
            f'<line x1="40" y1="{y}" x2="80" y2="{y}" stroke="{line.colour}" stroke-width="3"{_dash(line)}/>'
            + _marker(line, 60, y)
            + f'<text x="90" y="{y + 5}" font-size="14" fill="{TEXT}">{escape(line.name)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)


def describe(axes: Sequence[str], series: Sequence[Series]) -> str:
    """The chart in words, for its description: each series' value on each axis, as a percentage."""
    sentences = []
    for line in series:
        values = ", ".join(
            f"{index + 1}. {axis}: {'no score' if value is None else f'{round(value * 100)}%'}"
            for index, (axis, value) in enumerate(zip(axes, line.values, strict=True))
        )
        sentences.append(f"{line.name}: {values}.")
    return " ".join(sentences)
