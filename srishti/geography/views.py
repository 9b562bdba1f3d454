from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from srishti.accounts.access import (
    can_edit_service_profile,
    get_visible_or_404,
    visible_facilities,
)
from srishti.core.errors import DomainError
from srishti.core.limits import query_id
from srishti.scoring.packages import OPTIONAL_SERVICES

from .models import FacilityType, service_name
from .selectors import district_choices, facility_list
from .services import facility_service_profile_set


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
    facility = get_visible_or_404(visible_facilities(request.user).select_related("district"),
                                  pk=pk)
    assessments = (facility.assessments.select_related("version__tool", "score")
                   .order_by("-start_date", "-id"))
    return render(request, "geography/facility_detail.html", {
        "facility": facility, "assessments": assessments,
        "service_choices": [(name, service_name(name), name in facility.services)
                            for name in OPTIONAL_SERVICES]
        if facility.facility_type == FacilityType.AAM_SC else [],
        "may_edit_profile": can_edit_service_profile(request.user, facility),
    })


@login_required
@require_POST
def facility_profile_view(request, pk: int):
    """Save a sub-centre's service profile: the optional packages and the type."""
    facility = get_visible_or_404(visible_facilities(request.user), pk=pk)
    if (facility.facility_type != FacilityType.AAM_SC
            or not can_edit_service_profile(request.user, facility)):
        raise Http404
    try:
        facility_service_profile_set(
            facility=facility, services=request.POST.getlist("services"),
            subcentre_type=request.POST.get("subcentre_type", ""))
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Service profile saved; open assessments are rescored."))
    return redirect("facility-detail", pk)
