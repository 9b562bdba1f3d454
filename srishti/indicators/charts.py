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


def axis(low: float, high: float, ticks: int = 4) -> tuple[float, float, float]:
    """A vertical axis around [low, high]: (bottom, top, step) on round numbers. It
    starts at 0 unless the figures sit far above it (bed occupancy around 80%), where a
    0-based axis would flatten the month-to-month variation a control chart is about."""
    high = max(high, low)
    if low < 0.4 * high or high == 0:
        low = 0.0
    else:
        pad = 0.15 * (high - low) or 0.05 * high
        low = max(0.0, low - pad)
        high = high + pad
    step = nice_ceiling((high - low) / ticks) if high > low else nice_ceiling(high or 1.0)
    bottom = math.floor(low / step) * step
    top = max(math.ceil(high / step) * step, bottom + step)
    return bottom, top, step


def _fmt(v: float) -> str:
    if abs(v) >= 100:
        return f"{v:,.0f}"
    if abs(v) >= 1:
        return f"{v:.1f}".rstrip("0").rstrip(".")
    return f"{v:.2f}".rstrip("0").rstrip(".") or "0"


def _x_labels(n: int) -> list[int]:
    """Which of n month labels to print: about eight, evenly spaced back from the last."""
    step = max(1, math.ceil(n / 8))
    return sorted(range(n - 1, -1, -step))


def run_chart(labels: Sequence[str], values: Sequence[float | None], *,
              benchmark: float | None = None, limits: Limits | None = None,
              marks: Sequence[str] | None = None, title: str = "",
              legend: dict[str, str] | None = None,
              width: int = 560, height: int = 220) -> SafeString:
    """A monthly run: points joined month to month (a gap where a month is missing), the
    benchmark dashed, and the control chart's mean and 3-sigma limits when given.
    `marks` per point: "flagged" (red: out of range), "signal" (beyond a limit on the
    better side), or "". `legend` names the lines: {"benchmark", "mean", "limits"}."""
    left, right, top, bottom = 44, 12, 12, 26
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(labels), 1)
    figures = [v for v in values if v is not None]
    if benchmark is not None:
        figures.append(benchmark)
    if limits is not None:
        figures += [limits.upper, limits.lower]
    low_axis, high_axis, step = axis(min(figures, default=0.0), max(figures, default=1.0))

    def x(i: int) -> float:
        return left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        clipped = min(max(v, low_axis), high_axis)
        return top + plot_h * (1 - (clipped - low_axis) / (high_axis - low_axis))

    parts = [f'<svg class="chart run-chart" viewBox="0 0 {width} {height}" role="img" '
             f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">']
    if title:
        parts.append(f"<title>{escape(title)}</title>")
    tick = low_axis
    while tick <= high_axis + step / 1000:
        parts.append(f'<line x1="{left}" x2="{width - right}" y1="{y(tick):.1f}" '
                     f'y2="{y(tick):.1f}" stroke="{GRID}"/>')
        parts.append(f'<text x="{left - 4}" y="{y(tick) + 4:.1f}" text-anchor="end" '
                     f'font-size="11" fill="{TEXT}">{_fmt(tick)}</text>')
        tick += step
    for i in _x_labels(n):
        anchor = "start" if i == 0 and n > 1 else "end" if i == n - 1 and n > 1 else "middle"
        parts.append(f'<text x="{x(i):.1f}" y="{height - 8}" text-anchor="{anchor}" '
                     f'font-size="11" fill="{TEXT}">{escape(labels[i])}</text>')

    def hline(v: float, colour: str, dash: str, css: str) -> None:
        parts.append(f'<line class="{css}" x1="{left}" x2="{width - right}" y1="{y(v):.1f}" '
                     f'y2="{y(v):.1f}" stroke="{colour}" stroke-dasharray="{dash}"/>')

    if limits is not None:
        hline(limits.mean, TEXT, "1 0", "mean")
        hline(limits.upper, LIMIT, "2 3", "limit upper")
        hline(limits.lower, LIMIT, "2 3", "limit lower")
    if benchmark is not None:
        hline(benchmark, BENCHMARK, "6 4", "benchmark")
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
        mark = marks[i] if marks else ""
        colour = FLAG if mark == "flagged" else LIMIT if mark == "signal" else LINE
        parts.append(f'<circle class="{mark or "point"}" cx="{x(i):.1f}" cy="{y(v):.1f}" '
                     f'r="{4 if mark else 3}" fill="{colour}">'
                     f"<title>{escape(labels[i])}: {_fmt(v)}</title></circle>")
    parts.append("</svg>")
    legend = legend or {}
    items = []
    if benchmark is not None and legend.get("benchmark"):
        items.append(("dash", BENCHMARK, f"{legend['benchmark']} {_fmt(benchmark)}"))
    if limits is not None and legend.get("mean"):
        items.append(("solid", TEXT, f"{legend['mean']} {_fmt(limits.mean)}"))
    if limits is not None and legend.get("limits"):
        items.append(("dot", LIMIT, f"{legend['limits']} {_fmt(limits.lower)} – "
                                    f"{_fmt(limits.upper)}"))
    if items:
        parts.append('<div class="legend">' + "".join(
            f'<span class="legend-item line-{kind}"><i style="border-color:{colour}"></i>'
            f"{escape(text)}</span>" for kind, colour, text in items) + "</div>")
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
