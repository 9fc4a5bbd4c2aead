"""Bar charts as SVG, drawn on the server: readable without JavaScript, printable, accessible
(a title and a description for screen readers; the page shows the same figures as a table)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

WIDTH = 720
HEIGHT = 260
LEFT = 48
BOTTOM = 40
TOP = 16
BAR = "#0017c1"
BASELINE = "#b3000f"


#: What a bar and the tables show for a figure hidden from this reader (too few people).
HIDDEN = "―"


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | None  # None: hidden from this reader (a cell of too few people)

    @property
    def height(self) -> int:
        return self.value or 0

    @property
    def said(self) -> str:
        return HIDDEN if self.value is None else str(self.value)


def nice_ceiling(value: float) -> int:
    """The axis maximum: the smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


def ticks(top_value: int) -> list[int]:
    """Whole-number gridlines from 0 to ``top_value`` (a nice ceiling): counts are never 0.25."""
    if top_value <= 5:
        return list(range(top_value + 1))
    steps = 4 if str(top_value).startswith("2") else 5
    return [top_value * i // steps for i in range(steps + 1)]


def total(figure: int | dict[str, int | None] | None) -> int | None:
    """A KPI figure as one number: outcomes come counted by type. None when it, or one of the
    counts it adds up, is hidden (a sum beside its shown parts would give the hidden one back)."""
    parts = list(figure.values()) if isinstance(figure, dict) else [figure]
    if any(part is None for part in parts):
        return None
    return sum(part or 0 for part in parts)


def shown(value: object, unit: str = "") -> str:
    """A figure as the page writes it: 「―」 where it is hidden from this reader."""
    return HIDDEN if value is None else f"{value}{unit}"


def has_data(bars: Sequence[Bar]) -> bool:
    return any(bar.value is None or bar.value for bar in bars)


def bar_chart(
    chart_id: str,
    title: str,
    bars: Sequence[Bar],
    *,
    unit: str = "件",
    target: float | None = None,
    target_label: str = "",
) -> str:
    """An SVG bar chart; ``target`` draws a dashed line (e.g. the FY2019 monthly average)."""
    top_value = nice_ceiling(max([b.height for b in bars] + [target or 0]))
    plot_w = WIDTH - LEFT - 8
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(len(bars), 1)
    described = "、".join(f"{b.label} {shown(b.value, unit)}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
    ]
    for value in ticks(top_value):
        y = TOP + plot_h - plot_h * value / top_value
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d9d9d9"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12"'
            f' fill="#1a1a1a">{value}</text>'
        )
    for i, bar in enumerate(bars):
        h = plot_h * bar.height / top_value
        x = LEFT + i * slot + slot * 0.15
        y = TOP + plot_h - h
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}"'
            f' fill="{BAR}"><title>{escape(f"{bar.label} {shown(bar.value, unit)}")}</title>'
            "</rect>"
        )
        if bar.value != 0:
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle"'
                f' font-size="12" fill="#1a1a1a">{bar.said}</text>'
            )
        parts.append(
            f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle"'
            f' font-size="12" fill="#1a1a1a">{escape(bar.label)}</text>'
        )
    if target:
        y = TOP + plot_h - plot_h * target / top_value
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="{BASELINE}"'
            f' stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{WIDTH - 10}" y="{y - 6:.1f}" text-anchor="end" font-size="12"'
            f' fill="{BASELINE}">{escape(target_label)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


#: A row of a horizontal chart, and the room its labels take (職種 such as 歯科医師・歯科衛生士).
ROW = 30
LABEL_WIDTH = 200


def horizontal_bar_chart(
    chart_id: str, title: str, bars: Sequence[Bar], *, unit: str = "人"
) -> str:
    """An SVG chart with one row per bar, for categories whose names are too long to stand
    under a column (roles, towns): the label at the left, the bar and its figure to the right.
    A hidden figure (None) draws no bar and says 「―」."""
    top_value = nice_ceiling(max([b.height for b in bars] + [0]))
    plot_w = WIDTH - LABEL_WIDTH - 48
    height = TOP + ROW * len(bars) + 24
    described = "、".join(f"{b.label} {shown(b.value, unit)}" for b in bars)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(described)}</desc>',
    ]
    bottom = TOP + ROW * len(bars)
    for value in ticks(top_value):
        x = LABEL_WIDTH + plot_w * value / top_value
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{TOP}" y2="{bottom}" stroke="#d9d9d9"/>'
            f'<text x="{x:.1f}" y="{bottom + 16}" text-anchor="middle" font-size="12"'
            f' fill="#1a1a1a">{value}</text>'
        )
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        w = plot_w * bar.height / top_value
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW * 0.65:.1f}" text-anchor="end"'
            f' font-size="13" fill="#1a1a1a">{escape(bar.label)}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y + ROW * 0.15:.1f}" width="{w:.1f}"'
            f' height="{ROW * 0.7:.1f}" fill="{BAR}"><title>'
            f"{escape(f'{bar.label} {shown(bar.value, unit)}')}</title></rect>"
            f'<text x="{LABEL_WIDTH + w + 6:.1f}" y="{y + ROW * 0.65:.1f}" font-size="12"'
            f' fill="#1a1a1a">{bar.said}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
