from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path
from django.utils.http import urlencode

from srishti.core.limits import query_date, query_id
from srishti.improvement.selectors import today_ist

from ..models import Assessment
from ..selectors import (
    ASSESSMENT_SORTS,
    AssessmentFilters,
    assessment_filter_choices,
    assessment_list,
    assessor_work,
)


def _filters(data) -> AssessmentFilters:
    """The list's filters from a query string; anything unknown is ignored."""
    kind = data.get("kind", "")
    status = data.get("status", "")
    sort = data.get("sort", "")
    return AssessmentFilters(
        district=query_id(data.get("district")) or 0,
        facility=query_id(data.get("facility")) or 0,
        tool=data.get("tool", "").strip()[:20],
        kind=kind if kind in Assessment.Kind.values else "",
        status=status if status in Assessment.Status.values else "",
        since=query_date(data.get("since")), until=query_date(data.get("until")),
        q=data.get("q", "").strip()[:100],
        sort=sort if sort in ASSESSMENT_SORTS else "-date",
    )


def _query(filters: AssessmentFilters, **changes) -> str:
    """The filters as a query string (for the pager and the sort links)."""
    values = {**filters.__dict__, **changes}
    kept = {k: (v.isoformat() if hasattr(v, "isoformat") else v)
            for k, v in values.items() if v and not (k == "sort" and v == "-date")}
    return urlencode(kept)


@login_required
def assessment_list_view(request):
    """The assessments a person may see, filtered, searched and sorted."""
    filters = _filters(request.GET)
    page = Paginator(assessment_list(user=request.user, filters=filters), 50).get_page(
        request.GET.get("page"))
    # Each column's link: its own order, the reverse when that order is already shown.
    flip = {"date": "date" if filters.sort == "-date" else "-date",
            "score": "score" if filters.sort == "-score" else "-score",
            "facility": "facility"}
    sorts = {column: _query(filters, sort=key) for column, key in flip.items()}
    return render(request, "assessments/list.html", {
        "page": page, "filters": filters, "query": _query(filters), "sorts": sorts,
        "statuses": Assessment.Status.choices, "kinds": Assessment.Kind.choices,
        **assessment_filter_choices(user=request.user, district=filters.district),
    })


@login_required
def assessor_work_view(request):
    """An assessor's home: the departments assigned to them, what is left and when due."""
    today = today_ist()
    return render(request, "assessments/assigned.html", {
        "work": assessor_work(user=request.user, today=today), "today": today})


urlpatterns = [
    path("", assessment_list_view, name="assessment-list"),
    path("assigned/", assessor_work_view, name="assessment-assigned"),
]
