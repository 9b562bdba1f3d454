from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.core.charts import Series, line_chart

from .selectors import (
    AREAS,
    dashboard_attention,
    district_dashboard,
    place_ranking,
    state_dashboard,
    visible_block_or_none,
    visible_district_or_none,
    visible_division_or_none,
)


def _render(request, dashboard, *, level: str, district=None, division=None, block=None,
            places=None, places_by: str = ""):
    chart = line_chart(dashboard.trend_labels, [Series(_("Average score"), dashboard.trend)],
                       # xgettext:no-python-format (a percent sign, not a placeholder)
                       target=70, target_label=_("70% certification threshold"),
                       title=_("Average score by quarter")) if dashboard.trend else ""
    attention = dashboard_attention(user=request.user, today=timezone.localdate(),
                                    district=district if block is None else None,
                                    division=division, block=block)
    return render(request, "dashboards/dashboard.html", {
        "dashboard": dashboard, "level": level, "district": district, "areas": AREAS,
        "division": division, "health_block": block,  # "block" is taken by {% block %}
        # A division ranks its districts as the state does; a block its facilities.
        "ranks_districts": level in ("state", "division"),
        # The state's page ranks its divisions too, a district's its blocks.
        "places": places or [], "places_by": places_by,
        "trend_chart": chart, "attention": attention,
    })


@login_required
def state_dashboard_view(request):
    return _render(request, state_dashboard(user=request.user), level="state",
                   places=place_ranking(user=request.user, by="division"), places_by="division")


@login_required
def district_dashboard_view(request, pk: int):
    district = visible_district_or_none(user=request.user, pk=pk)
    if district is None:
        raise Http404
    return _render(request, district_dashboard(user=request.user, district=district),
                   level="district", district=district,
                   places=place_ranking(user=request.user, by="block", district=district),
                   places_by="block")


@login_required
def division_dashboard_view(request, pk: int):
    division = visible_division_or_none(user=request.user, pk=pk)
    if division is None:
        raise Http404
    return _render(request, state_dashboard(user=request.user, division=division),
                   level="division", division=division)


@login_required
def block_dashboard_view(request, pk: int):
    block = visible_block_or_none(user=request.user, pk=pk)
    if block is None:
        raise Http404
    return _render(request, district_dashboard(user=request.user, district=block.district,
                                               block=block),
                   level="block", district=block.district, block=block)
