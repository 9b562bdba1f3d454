from django import template

from srishti.core.charts import score_colour

register = template.Library()


@register.filter
def heat_colour(score):
    return score_colour(score)
