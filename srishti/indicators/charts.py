"""Indicator charts as inline SVG (see srishti.core.charts for why SVG on the server):
a monthly run with its benchmark and, from twelve months on, its control limits; a
comparison of facilities; a sparkline.

Unlike scores, indicators have no fixed 0-100 scale (days, minutes, per lakh), so the
vertical axis is fitted to the figures, the benchmark and the limits.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

from django.utils.safestring import SafeString, mark_safe

from srishti.core.charts import PALETTE

from .formulas import Limits

LINE = PALETTE[0]
FLAG = "#b42318"
BENCHMARK = "#1d2430"
LIMIT = "#b54708"
GRID = "#e4e7ec"
TEXT = "#5b6575"


def nice_ceiling(value: float) -> float:
    """The next "round" number at or above `value` (1, 2, 2.5, 5 x a power of ten)."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _fmt(v: float) -> str:
    if abs(v) >= 100:
        return f"{v:,.0f}"
    return f"{v:.1f}".rstrip("0").rstrip(".") if abs(v) >= 1 else f"{v:.2f}".rstrip("0").rstrip(".")


def run_chart(labels: Sequence[str], values: Sequence[float | None], *,
              benchmark: float | None = None, limits: Limits | None = None,
              flagged: Sequence[bool] | None = None, title: str = "",
              benchmark_label: str = "", mean_label: str = "", limits_label: str = "",
              width: int = 560, height: int = 240) -> SafeString:
    """A monthly run: points joined month to month (a gap where a month is missing), the
    benchmark dashed, and the control chart's mean and 3-sigma limits when given.
    Points in `flagged` are drawn in red."""
    left, right, top, bottom = 44, 12, 14, 28
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    highest = max([v for v in values if v is not None]
                  + [x for x in (benchmark, limits.upper if limits else None) if x is not None]
                  + [0.0])
    y_max = nice_ceiling(highest * 1.08)

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return top + plot_h * (1 - min(max(v, 0.0), y_max) / y_max)

    parts = [f'<svg class="chart run-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for frac in (0, 0.25, 0.5, 0.75, 1):
        yy = top + plot_h * (1 - frac)
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{yy:.1f}" y2="{yy:.1f}" '
                     f'stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{TEXT}">{_fmt(y_max * frac)}</text>')
    step = max(1, math.ceil(n / 8))
    for i, label in enumerate(labels):
        if i % step == 0 or i == n - 1:
            anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
            parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}" '
                         f'font-size="11" fill="{TEXT}">{escape(label)}</text>')

    def hline(v: float, colour: str, dash: str, label: str, css: str) -> None:
        parts.append(f'<line class="{css}" x1="{left}" x2="{width - right}" y1="{y(v):.1f}" '
                     f'y2="{y(v):.1f}" stroke="{colour}" stroke-dasharray="{dash}"/>')
        if label:
            parts.append(f'<text x="{width - right}" y="{y(v) - 4:.1f}" text-anchor="end" '
                         f'font-size="11" fill="{colour}">{escape(label)} {_fmt(v)}</text>')

    if limits is not None:
        hline(limits.mean, TEXT, "1 0", mean_label, "mean")
        hline(limits.upper, LIMIT, "2 3", limits_label, "limit upper")
        hline(limits.lower, LIMIT, "2 3", "", "limit lower")
    if benchmark is not None:
        hline(benchmark, BENCHMARK, "6 4", benchmark_label, "benchmark")
    path, pen_down = [], False
    for i, v in enumerate(values):
        if v is None:
            pen_down = False
            continue
        path.append(f"{'L' if pen_down else 'M'}{x(i):.1f},{y(v):.1f}")
        pen_down = True
    if path:
        parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{LINE}" stroke-width="2"/>')
    for i, v in enumerate(values):
        if v is None:
            continue
        red = bool(flagged and flagged[i])
        parts.append(f'<circle class="{"flagged" if red else "point"}" cx="{x(i):.1f}" '
                     f'cy="{y(v):.1f}" r="{4 if red else 3}" fill="{FLAG if red else LINE}">'
                     f"<title>{escape(labels[i])}: {_fmt(v)}</title></circle>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def compare_chart(rows: Sequence[tuple[str, float | None, bool]], *,
                  benchmark: float | None = None, benchmark_label: str = "",
                  title: str = "", width: int = 560) -> SafeString:
    """Facilities side by side: one horizontal bar each (label, value, flagged), the
    benchmark as a dashed vertical line; a facility without a value has no bar."""
    bar, gap, left, right, top = 16, 6, 180, 48, 18
    height = top + len(rows) * (bar + gap) + 8
    highest = max([v for _l, v, _f in rows if v is not None]
                  + ([benchmark] if benchmark is not None else []) + [0.0])
    x_max = nice_ceiling(highest * 1.05)
    plot_w = width - left - right

    def x(v: float) -> float:
        return left + plot_w * min(max(v, 0.0), x_max) / x_max

    parts = [f'<svg class="chart compare-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    for i, (label, value, flagged) in enumerate(rows):
        yy = top + i * (bar + gap)
        short = label if len(label) <= 28 else label[:27] + "…"
        parts.append(f'<text x="{left - 6}" y="{yy + bar - 4}" text-anchor="end" font-size="11" '
                     f'fill="{TEXT}">{escape(short)}</text>')
        parts.append(f'<rect x="{left}" y="{yy}" width="{plot_w}" height="{bar}" fill="#eef0f3"/>')
        if value is not None:
            colour = FLAG if flagged else LINE
            parts.append(f'<rect class="{"flagged" if flagged else "bar"}" x="{left}" y="{yy}" '
                         f'width="{x(value) - left:.1f}" height="{bar}" fill="{colour}">'
                         f"<title>{escape(label)}: {_fmt(value)}</title></rect>")
            parts.append(f'<text x="{x(value) + 4:.1f}" y="{yy + bar - 4}" font-size="11" '
                         f'fill="{TEXT}">{_fmt(value)}</text>')
    if benchmark is not None:
        parts.append(f'<line class="benchmark" x1="{x(benchmark):.1f}" x2="{x(benchmark):.1f}" '
                     f'y1="{top - 4}" y2="{height - 4}" stroke="{BENCHMARK}" '
                     'stroke-dasharray="6 4"/>')
        if benchmark_label:
            parts.append(f'<text x="{x(benchmark):.1f}" y="{top - 6}" text-anchor="middle" '
                         f'font-size="11" fill="{BENCHMARK}">{escape(benchmark_label)} '
                         f"{_fmt(benchmark)}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def sparkline(values: Sequence[float | None], *, flagged_last: bool = False,
              width: int = 120, height: int = 28) -> SafeString:
    """A tiny run without axes, for tables; the last point red when flagged."""
    points = [(i, v) for i, v in enumerate(values) if v is not None]
    if not points:
        return mark_safe("")
    high = max(v for _i, v in points) or 1.0
    n = max(len(values) - 1, 1)

    def xy(i: int, v: float) -> str:
        return f"{2 + (width - 4) * i / n:.1f},{height - 3 - (height - 6) * v / high:.1f}"

    line = " ".join(xy(i, v) for i, v in points)
    last_i, last_v = points[-1]
    cx, cy = xy(last_i, last_v).split(",")
    return mark_safe(  # noqa: S308 - numbers only
        f'<svg class="spark" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-hidden="true" xmlns="http://www.w3.org/2000/svg"><polyline points="{line}" '
        f'fill="none" stroke="{LINE}" stroke-width="1.5"/><circle cx="{cx}" cy="{cy}" r="2.5" '
        f'fill="{FLAG if flagged_last else LINE}"/></svg>')
