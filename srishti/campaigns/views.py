"""Campaign pages: the list, a campaign week by week, creating one and enrolling its
facilities. Seeing follows accounts.access.visible_campaigns; changing needs the right
to organise for the campaign's scope (404 otherwise)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _

from srishti.accounts import access
from srishti.core.charts import Series, line_chart
from srishti.core.errors import DomainError
from srishti.geography.models import FacilityType
from srishti.programme.selectors import organisable_scopes, scope_from_choice, staff_districts
from srishti.programme.views.common import int_or_none

from .forms import CampaignForm
from .selectors import campaign_get, campaign_list, campaign_page, enrolment_choices
from .services import campaign_create, campaign_enrolment_set, campaign_update

# More facilities than colours: the score chart draws the mean and the range instead.
MAX_LINES = 6


@login_required
def campaign_list_view(request):
    return render(request, "campaigns/list.html", {
        "campaigns": campaign_list(user=request.user), "today": timezone.localdate(),
        "can_add": bool(organisable_scopes(user=request.user)),
    })


def _charts(page):
    shown = [w for w in page.weeks if w.has_figures or w.number <= page.current_week]
    labels = [(_("W%(n)d") % {"n": w.number}) + ("*" if w.source == "live" else "")
              for w in shown]
    total = len(page.facilities)
    meeting = line_chart(
        labels, [Series(_("Facilities meeting the goal"),
                        [w.meeting if w.has_figures else None for w in shown])],
        y_max=max(4, -(-total // 4) * 4), target=total or None,
        target_label=_("Enrolled: %(count)d") % {"count": total},
        title=_("Facilities meeting the goal, by week"))
    if len(page.facilities) <= MAX_LINES:
        series = [Series(f.name, [w.by_facility[f.pk].score if w.has_figures
                                  and f.pk in w.by_facility else None for w in shown])
                  for f in page.facilities]
    else:
        def pick(week, fn):
            scores = [f.score for f in week.by_facility.values() if f.score is not None]
            return fn(scores) if scores else None

        series = [Series(_("Mean score"), [w.mean_score for w in shown]),
                  Series(_("Highest"), [pick(w, max) for w in shown]),
                  Series(_("Lowest"), [pick(w, min) for w in shown])]
    target = page.campaign.goal_value if page.campaign.goal == "score" else None
    scores = line_chart(labels, series, target=target,
                        target_label=_("Goal") if target is not None else "",
                        title=_("Score by week (%)"))
    return meeting, scores


@login_required
def campaign_detail_view(request, pk: int, week: int | None = None):
    today = timezone.localdate()
    page = campaign_page(user=request.user, pk=pk, today=today, week=week)
    if week is not None and (page.week is None or page.week.number != week):
        raise Http404
    meeting, scores = _charts(page)
    return render(request, "campaigns/detail.html", {
        "page": page, "campaign": page.campaign, "today": today,
        "meeting_chart": meeting, "score_chart": scores,
    })


@login_required
def campaign_create_view(request):
    scopes = organisable_scopes(user=request.user)
    if not scopes:
        raise Http404
    form = CampaignForm(request.POST or None, scopes=scopes)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        scope = scope_from_choice(data["scope"])
        # The choices were built from what the user may organise; asking again keeps a
        # forged scope out.
        if scope is None or not access.can_organise(request.user, scope):
            raise Http404
        try:
            campaign, created = campaign_create(
                name=data["name"], scope=scope, tool=data["tool"], start=data["start"],
                end=data["end"], goal=data["goal"], goal_value=data["goal_value"],
                description=data["description"], facility_types=data["facility_types"],
                user=request.user, client_id=data["client_id"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            if created:
                messages.success(request, _("Campaign started."))
            return redirect("campaign-detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": None})


def _organised(request, pk: int):
    campaign = campaign_get(user=request.user, pk=pk)
    if not access.can_organise(request.user, campaign.scope):
        raise Http404
    return campaign


@login_required
def campaign_edit_view(request, pk: int):
    campaign = _organised(request, pk)
    initial = {name: getattr(campaign, name) for name in (
        "name", "start", "end", "goal", "goal_value", "description")}
    form = CampaignForm(request.POST or None, initial=initial, scopes=[], editing=True)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign_update(campaign=campaign, name=data["name"], start=data["start"],
                            end=data["end"], goal=data["goal"], goal_value=data["goal_value"],
                            description=data["description"])
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("campaign-detail", campaign.pk)
    return render(request, "campaigns/form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_enrolment_view(request, pk: int):
    campaign = _organised(request, pk)
    source = request.POST if request.method == "POST" else request.GET
    district_id = int_or_none(source.get("district"))
    facility_type = source.get("type", "")
    if facility_type not in FacilityType.values:
        facility_type = ""
    shown, enrolled = enrolment_choices(user=request.user, campaign=campaign,
                                        district_id=district_id, facility_type=facility_type)
    if request.method == "POST":
        chosen = {int_or_none(v) for v in request.POST.getlist("facility")}
        try:
            added, removed = campaign_enrolment_set(
                campaign=campaign, shown=shown, enrolled=[f for f in shown if f.pk in chosen])
        except DomainError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Enrolment saved: %(added)d added, %(removed)d "
                                        "removed.") % {"added": added, "removed": removed})
            return redirect("campaign-detail", campaign.pk)
    return render(request, "campaigns/enrolment.html", {
        "campaign": campaign, "facilities": shown, "enrolled": enrolled,
        "districts": staff_districts(user=request.user), "types": FacilityType.choices,
        "selected": {"district": district_id, "type": facility_type}, "limit": 500,
    })


urlpatterns = [
    path("", campaign_list_view, name="campaign-list"),
    path("add/", campaign_create_view, name="campaign-create"),
    path("<int:pk>/", campaign_detail_view, name="campaign-detail"),
    path("<int:pk>/weeks/<int:week>/", campaign_detail_view, name="campaign-week"),
    path("<int:pk>/edit/", campaign_edit_view, name="campaign-edit"),
    path("<int:pk>/facilities/", campaign_enrolment_view, name="campaign-enrolment"),
]
