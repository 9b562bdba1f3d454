"""The assessor register, each assessor's workload by month, and the eligibility rules."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from srishti.checklists.models import Tool

from ..eligibility import rule_summary
from ..models import AssessorLevel, EligibilityRuleSet
from ..selectors import assessor_list, assessor_workload, staff_districts, workload_years
from .common import int_or_none


@login_required
def assessor_list_view(request):
    level = request.GET.get("level", "")
    if level not in AssessorLevel.values:
        level = ""
    tool_id = int_or_none(request.GET.get("tool"))
    district_id = int_or_none(request.GET.get("district"))
    return render(request, "programme/assessor_list.html", {
        "assessors": assessor_list(user=request.user, level=level, tool_id=tool_id,
                                   district_id=district_id),
        "levels": AssessorLevel.choices, "tools": Tool.objects.order_by("code"),
        "districts": staff_districts(user=request.user),
        "selected": {"level": level, "tool": tool_id, "district": district_id},
        "today": timezone.localdate(),
    })


@login_required
def assessor_workload_view(request):
    today = timezone.localdate()
    years = workload_years(today=today)
    year = int_or_none(request.GET.get("year"))
    if year not in years:
        year = today.year
    return render(request, "programme/assessor_workload.html", {
        "workload": assessor_workload(user=request.user, year=year), "years": years,
        "months": [timezone.datetime(year, m, 1).date() for m in range(1, 13)],
    })


@login_required
def assessor_rules_view(request):
    """The rule sets deciding who is offered for an assessment: public data, read by all
    who log in (they hold nothing of any facility)."""
    rule_sets = list(EligibilityRuleSet.objects.prefetch_related("rules")
                     .order_by("-valid_from", "-id"))
    for rule_set in rule_sets:
        rule_set.summaries = [(rule, rule_summary(rule)) for rule in rule_set.rules.all()]
    return render(request, "programme/assessor_rules.html", {"rule_sets": rule_sets})


urlpatterns = [
    path("assessors/", assessor_list_view, name="assessor-list"),
    path("assessors/workload/", assessor_workload_view, name="assessor-workload"),
    path("assessors/rules/", assessor_rules_view, name="assessor-rules"),
]
