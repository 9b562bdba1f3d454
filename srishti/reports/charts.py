"""Bars for printed reports: inline SVG shapes only, every word outside them.

WeasyPrint draws SVG text glyph by glyph, without the shaping Devanagari needs (conjuncts
and vowel signs come apart), so labels and figures stay in the HTML around the bar, where
Pango shapes them; the SVG holds rectangles and the threshold mark, which print crisply.
"""

from __future__ import annotations

from django.utils.safestring import SafeString, mark_safe

TRACK = "#eef0f3"
GOOD = "#0b6e4f"
MID = "#b54708"
LOW = "#b42318"
MARK = "#1d2430"


def bar_colour(score: float | None) -> str:
    """The same bands as the score card page: red below 50, amber below 70, green above."""
    if score is None:
        return TRACK
    if score < 50:
        return LOW
    if score < 70:
        return MID
    return GOOD


def bar_svg(score: float | None, threshold: float | None = None) -> SafeString:
    """One horizontal bar, 0-100, with an optional dashed threshold mark.

    The drawing is 1000 x 24 units stretched to its box, so the cell sets its size.
    """
    parts = ['<svg class="bar" viewBox="0 0 1000 24" preserveAspectRatio="none" '
             'xmlns="http://www.w3.org/2000/svg" aria-hidden="true">',
             f'<rect x="0" y="4" width="1000" height="16" fill="{TRACK}"/>']
    if score is not None:
        width = max(0.0, min(float(score), 100.0)) * 10
        parts.append(f'<rect x="0" y="4" width="{width:.1f}" height="16" '
                     f'fill="{bar_colour(score)}"/>')
    if threshold is not None:
        x = max(0.0, min(float(threshold), 100.0)) * 10
        parts.append(f'<line x1="{x:.1f}" x2="{x:.1f}" y1="0" y2="24" stroke="{MARK}" '
                     'stroke-width="5" stroke-dasharray="5 3"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - numbers and constants only
