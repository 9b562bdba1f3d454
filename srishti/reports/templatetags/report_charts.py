from django import template
from django.utils.safestring import mark_safe

from srishti.core.charts import score_colour
from srishti.reports.charts import bar_svg

register = template.Library()


@register.simple_tag
def bar(score, threshold=None):
    """{% bar figure.score threshold %}: an inline SVG bar for the printed reports.

    A threshold the template could not resolve (no rule set: "") draws no mark.
    """
    def number(value):
        return value if isinstance(value, int | float) and not isinstance(value, bool) else None

    return bar_svg(number(score), number(threshold))


@register.filter
def heat(score):
    """Background colour of a table cell for a score (as the dashboards' heat map)."""
    return score_colour(score)


@register.filter
def css_string(value):
    """Text made safe inside a double-quoted CSS string in a <style> element.

    Marked safe because HTML escaping does not apply inside <style>: "&quot;" would print.
    """
    text = " ".join(str(value).split()).replace("<", "").replace(">", "")
    return mark_safe(text.replace("\\", "\\\\").replace('"', '\\"'))  # noqa: S308
