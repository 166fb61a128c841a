"""Horizontal bar charts of the analysis, drawn on the server as SVG (as `maca.selfassessment.chart` draws its
radar charts).

Bars are grouped (a group per theme or agency, a bar per grade, ...); every bar carries its label and its number in
text, so that nothing relies on colour or on reading lengths, and the chart is an image with a title and a
description. The table beside each chart on the page holds the same numbers: it is the chart's full text
alternative. Presentation attributes only (no `style`), so that the page's Content-Security-Policy allows it.
"""

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 720
LABEL_RIGHT = 236  # bar labels end here
BAR_LEFT = 244
BAR_MAX = 400  # the longest bar
ROW = 22
BAR = 14
GROUP_HEADING = 26
LABEL_CHARACTERS = 34
TOP = 8

BLUE = "#1d70b8"
TEXT = "#0b0c0c"
GRID = "#b1b4b6"


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # the number as shown at the end of the bar, e.g. "12" or "75%"


@dataclass(frozen=True)
class BarGroup:
    label: str  # "" for a chart of one group without a heading
    bars: Sequence[Bar]


def _short(label: str) -> str:
    return textwrap.shorten(label, LABEL_CHARACTERS, placeholder="…") if len(label) > LABEL_CHARACTERS else label


def bar_length(value: float, maximum: float) -> float:
    """How long a bar is drawn: in proportion to the largest value (`maximum`), never negative."""
    if maximum <= 0 or value <= 0:
        return 0.0
    return round(BAR_MAX * min(value, maximum) / maximum, 2)


def chart_height(groups: Sequence[BarGroup]) -> int:
    return TOP + sum((GROUP_HEADING if group.label else 0) + ROW * len(group.bars) for group in groups) + TOP


def bar_chart_svg(
    *,
    groups: Sequence[BarGroup],
    title: str,
    description: str,
    chart_id: str,
    maximum: float | None = None,
) -> SafeString:
    """The chart as an inline SVG image. `maximum`: the value of the longest possible bar (1 for shares); by default
    the largest value. ValueError when there is no bar."""
    if not any(group.bars for group in groups):
        raise ValueError("A bar chart needs at least one bar.")
    largest = maximum if maximum is not None else max(bar.value for group in groups for bar in group.bars)
    height = chart_height(groups)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" focusable="false" class="maca-bar-chart">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    y = TOP
    for group in groups:
        if group.label:
            parts.append(
                f'<text x="0" y="{y + 17}" font-size="15" font-weight="bold" fill="{TEXT}">'
                f"{escape(_short(group.label))}</text>"
            )
            y += GROUP_HEADING
        top = y
        for bar in group.bars:
            length = bar_length(bar.value, largest)
            middle = y + ROW / 2
            parts.append(
                f'<text x="{LABEL_RIGHT}" y="{middle + 5:g}" text-anchor="end" font-size="13" fill="{TEXT}">'
                f"{escape(_short(bar.label))}</text>"
            )
            if length:
                parts.append(
                    f'<rect x="{BAR_LEFT}" y="{middle - BAR / 2:g}" width="{length:g}" height="{BAR}" fill="{BLUE}"/>'
                )
            parts.append(
                f'<text x="{BAR_LEFT + length + 6:g}" y="{middle + 5:g}" font-size="13" fill="{TEXT}">'
                f"{escape(bar.text)}</text>"
            )
            y += ROW
        parts.append(f'<line x1="{BAR_LEFT}" y1="{top}" x2="{BAR_LEFT}" y2="{y}" stroke="{GRID}" stroke-width="1"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text in it is escaped above)


def describe(groups: Sequence[BarGroup]) -> str:
    """The chart in words, for its description: each group's bars with their numbers."""
    sentences = []
    for group in groups:
        bars = ", ".join(f"{bar.label}: {bar.text}" for bar in group.bars)
        sentences.append(f"{group.label}: {bars}." if group.label else f"{bars}.")
    return " ".join(sentences)
