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
    state_dashboard,
    visible_district_or_none,
)


def _render(request, dashboard, *, level: str, district=None):
    chart = line_chart(dashboard.trend_labels, [Series(_("Average score"), dashboard.trend)],
                       # xgettext:no-python-format (a percent sign, not a placeholder)
                       target=70, target_label=_("70% certification threshold"),
                       title=_("Average score by quarter")) if dashboard.trend else ""
    attention = dashboard_attention(user=request.user, today=timezone.localdate(),
                                    district=district)
    return render(request, "dashboards/dashboard.html", {
        "dashboard": dashboard, "level": level, "district": district, "areas": AREAS,
        "trend_chart": chart, "attention": attention,
    })


@login_required
def state_dashboard_view(request):
    return _render(request, state_dashboard(user=request.user), level="state")


@login_required
def district_dashboard_view(request, pk: int):
    district = visible_district_or_none(user=request.user, pk=pk)
    if district is None:
        raise Http404
    return _render(request, district_dashboard(user=request.user, district=district),
                   level="district", district=district)
