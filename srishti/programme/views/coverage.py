"""Training coverage of the key posts: the districts at a glance, then one district."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import path
from django.utils import timezone

from ..coverage import coverage_overview, district_coverage
from ..models import KeyRole


@login_required
def coverage_overview_view(request):
    today = timezone.localdate()
    return render(request, "programme/coverage_overview.html", {
        "districts": coverage_overview(user=request.user, today=today),
        "key_roles": KeyRole.objects.order_by("level", "order"), "today": today,
    })


@login_required
def coverage_district_view(request, pk: int):
    today = timezone.localdate()
    return render(request, "programme/coverage_district.html", {
        "page": district_coverage(user=request.user, pk=pk, today=today), "today": today,
    })


urlpatterns = [
    path("coverage/", coverage_overview_view, name="coverage-overview"),
    path("coverage/<int:pk>/", coverage_district_view, name="coverage-district"),
]
