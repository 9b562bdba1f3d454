from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from srishti.accounts.access import get_visible_or_404, visible_facilities
from srishti.core.limits import query_id

from .models import FacilityType
from .selectors import district_choices, facility_list


@login_required
def facility_list_view(request):
    district_id = query_id(request.GET.get("district")) or 0
    facility_type = request.GET.get("type", "")
    if facility_type not in FacilityType.values:
        facility_type = ""
    query = request.GET.get("q", "").strip()[:100]
    facilities = facility_list(user=request.user, district_id=district_id,
                               facility_type=facility_type, query=query)
    page = Paginator(facilities, 50).get_page(request.GET.get("page"))
    return render(request, "geography/facility_list.html", {
        "page": page,
        "districts": district_choices(user=request.user),
        "types": FacilityType.choices,
        "selected": {"district": district_id, "type": facility_type, "q": query},
    })


@login_required
def facility_detail_view(request, pk: int):
    facility = get_visible_or_404(
        visible_facilities(request.user).select_related("district", "block"), pk=pk)
    assessments = (facility.assessments.select_related("version__tool", "score")
                   .order_by("-start_date", "-id"))
    return render(request, "geography/facility_detail.html",
                  {"facility": facility, "assessments": assessments})
