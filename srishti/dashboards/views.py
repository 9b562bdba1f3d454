from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.accounts.access import home_of
from srishti.core.charts import Series, line_chart

from .selectors import (
    AREAS,
    area_titles,
    dashboard_attention,
    district_dashboard,
    place_ranking,
    state_dashboard,
    visible_block_or_none,
    visible_district_or_none,
    visible_division_or_none,
)


def _quarter_position(label: str) -> float | None:
    """"2016 Q4" -> 2016.75: where a quarter's point sits on a time axis."""
    year, _sep, quarter = label.partition(" Q")
    if not (year.isdigit() and quarter.isdigit()):
        return None
    return int(year) + (int(quarter) - 1) / 4


def _render(request, dashboard, *, level: str, district=None, division=None, block=None,
            places=None, places_by: str = ""):
    # The Excel export covers the state and district pages (a division or block page
    # shows its figures on screen).
    if request.GET.get("format") == "xlsx" and level in ("state", "district"):
        from srishti.jobs.views import start_and_show

        name = district.name if district else _("State dashboard")
        return start_and_show(request, kind="dashboard_xlsx",
                              params={"district": district.pk} if district else {},
                              title=_("Dashboard (Excel): %(name)s") % {"name": name})
    positions = [_quarter_position(label) for label in dashboard.trend_labels]
    chart = line_chart(dashboard.trend_labels, [Series(_("Average score"), dashboard.trend)],
                       # xgettext:no-python-format (a percent sign, not a placeholder)
                       target=70, target_label=_("70% certification threshold"),
                       title=_("Average score by quarter"),
                       x_positions=None if None in positions else positions,
                       ) if dashboard.trend else ""
    today = timezone.localdate()
    attention = dashboard_attention(user=request.user, today=today,
                                    district=district if block is None else None,
                                    division=division, block=block)
    titles = area_titles()
    home = home_of(request.user)
    return render(request, "dashboards/dashboard.html", {
        "dashboard": dashboard, "level": level, "district": district, "areas": AREAS,
        "area_legend": [(a, titles.get(a, "")) for a in AREAS], "trend_chart": chart,
        "attention": attention,
        # Links up to the state or division page only for those who read it: a district
        # user is never shown a "state" page.
        "reads_state": home.kind == "state", "reads_division": home.kind == "division",
        "today": today,
        "division": division, "health_block": block,  # "block" is taken by {% block %}
        # A division ranks its districts as the state does; a block its facilities.
        "ranks_districts": level in ("state", "division"),
        # The state's page ranks its divisions too, a district's its blocks.
        "places": places or [], "places_by": places_by,
    })


def home_url(user) -> str:
    """The page a person starts on (see accounts.access.home_of)."""
    home = home_of(user)
    if home.kind == "division":
        return reverse("dashboard-division", args=[home.pk])
    if home.kind == "block":
        return reverse("dashboard-block", args=[home.pk])
    if home.kind == "district":
        return reverse("dashboard-district", args=[home.pk])
    if home.kind == "facility":
        return reverse("facility-detail", args=[home.pk])
    if home.kind == "facilities":
        return reverse("facility-list")
    if home.kind == "assignments":
        return reverse("assessment-assigned")
    return reverse("dashboard-state")


@login_required
def home_view(request):
    """Each role starts on its own page: the state, its district, its facility, or an
    assessor's assignments."""
    return redirect(home_url(request.user))


@login_required
def state_dashboard_view(request):
    # Only a person who reads a state (or several districts) has a state dashboard; the
    # others are sent to their own, never to a "state" page of one row.
    if home_of(request.user).kind != "state":
        return redirect(home_url(request.user))
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
