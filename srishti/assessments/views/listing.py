from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path

from srishti.accounts.access import visible_assessments, visible_facilities

from ..models import Assessment


@login_required
def assessment_list_view(request):
    """The assessments a person may open, newest first; an assessor's work list."""
    status = request.GET.get("status", "")
    qs = (visible_assessments(request.user)
          .select_related("facility__district", "version__tool", "score")
          .order_by("-start_date", "-id"))
    if status in Assessment.Status.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "assessments/list.html", {
        "page": page, "statuses": Assessment.Status.choices, "status": status})


@login_required
def home_view(request):
    """People with a territory start on its dashboard; assessors on their work list."""
    from srishti.dashboards.selectors import home_dashboard

    place = home_dashboard(user=request.user)
    if place is not None:
        return redirect(*place)
    if visible_facilities(request.user).exists():
        return redirect("dashboard-state")
    return redirect("assessment-list")


urlpatterns = [
    path("", assessment_list_view, name="assessment-list"),
]
