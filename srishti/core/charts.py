"""Small server-rendered SVG charts: no JavaScript, light on cheap phones, and the same
markup prints into PDF reports (WeasyPrint renders inline SVG).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#0b6e4f", "#b54708", "#2e5aac", "#b42318", "#6941c6", "#475467")


@dataclass(frozen=True)
class Series:
    label: str
    points: Sequence[float | None]  # one per x label; None leaves a gap


def score_colour(score: object) -> str:
    """Background for a heat-map cell: red below 50, amber below 70, green from 70.

    Anything but a number has no score: None, and the "" a template gives for a cell that
    does not exist (a department with no answer in an area of a partly answered card).
    """
    if not isinstance(score, int | float) or isinstance(score, bool):
        return "#eef0f3"
    if score < 50:
        return "#fecdca"
    if score < 70:
        return "#fedf89"
    if score < 85:
        return "#a6f4c5"
    return "#6ce9a6"


def line_chart(
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    y_max: float = 100.0,
    target: float | None = None,
    target_label: str = "",
    width: int = 480,
    height: int = 240,
    title: str = "",
    x_positions: Sequence[float] | None = None,
) -> SafeString:
    """A line chart with optional horizontal target line, as inline SVG.

    Scales to its container (viewBox); labels stay readable at 360 px. `x_positions`
    (one number per label, e.g. a date as a fraction of years) places the points by
    that scale instead of one step apart, so that a gap of six years looks like one.
    """
    left, right, top, bottom = 36, 12, 12, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(x_labels), 1)
    spread = (max(x_positions) - min(x_positions)) if x_positions and n > 1 else 0

    def x(i: int) -> float:
        if spread and x_positions:
            return left + plot_w * (x_positions[i] - min(x_positions)) / spread
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max) if y_max else top + plot_h

    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for frac in (0, 0.25, 0.5, 0.75, 1):
        yy = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
                     'stroke="#e4e7ec"/>')
        parts.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="#5b6575">{y_max * frac:g}</text>')
    step = max(1, n // 8)
    last_label = -1e9
    for i, label in enumerate(x_labels):
        # By position, a label is skipped when it would touch the one before (the last
        # one always shows); by step, every `step`-th label shows.
        shown = (x(i) - last_label >= 56 or i == n - 1) if spread else (
            i % step == 0 or i == n - 1)
        if shown:
            last_label = x(i)
            # The end labels hug the plot's edges so they are not cut off.
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}" '
                         f'font-size="11" fill="#5b6575">{escape(label)}</text>')
    if target is not None:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(target):.1f}" '
                     f'y2="{y(target):.1f}" stroke="#1d2430" stroke-dasharray="5 4"/>')
        if target_label:
            parts.append(f'<text x="{width - right}" y="{y(target) - 4:.1f}" text-anchor="end" '
                         f'font-size="11" fill="#1d2430">{escape(target_label)}</text>')
    for k, s in enumerate(series):
        colour = PALETTE[k % len(PALETTE)]
        path, pen_down = [], False
        for i, v in enumerate(s.points):
            if v is None:
                pen_down = False
                continue
            path.append(f"{'L' if pen_down else 'M'}{x(i):.1f},{y(v):.1f}")
            pen_down = True
            parts.append(f'<circle cx="{x(i):.1f}" cy="{y(v):.1f}" r="3" fill="{colour}">'
                         f"<title>{escape(s.label)}: {escape(x_labels[i])} {v:g}</title></circle>")
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" '
                         'stroke-width="2"/>')
    parts.append("</svg>")
    if len(series) > 1:
        legend = "".join(
            f'<span class="legend-item"><i style="background:{PALETTE[k % len(PALETTE)]}"></i>'
            f"{escape(s.label)}</span>" for k, s in enumerate(series))
        parts.append(f'<div class="legend">{legend}</div>')
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
