from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import urlencode
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
from .selectors import FACILITY_SORTS, district_choices, facility_list
from .services import facility_service_profile_set


@login_required
def facility_list_view(request):
    district_id = query_id(request.GET.get("district")) or 0
    facility_type = request.GET.get("type", "")
    if facility_type not in FacilityType.values:
        facility_type = ""
    query = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort", "")
    if sort not in FACILITY_SORTS:
        sort = ""
    facilities = facility_list(user=request.user, district_id=district_id,
                               facility_type=facility_type, query=query, sort=sort)
    page = Paginator(facilities, 50).get_page(request.GET.get("page"))
    kept = {"q": query, "district": district_id or "", "type": facility_type}
    kept = {k: v for k, v in kept.items() if v}
    return render(request, "geography/facility_list.html", {
        "page": page,
        "districts": district_choices(user=request.user),
        "types": FacilityType.choices,
        "selected": {"district": district_id, "type": facility_type, "q": query,
                     "sort": sort},
        "query": urlencode({**kept, **({"sort": sort} if sort else {})}),
        "score_sort": urlencode({**kept, "sort": "score" if sort == "-score" else "-score"}),
        "name_sort": urlencode({**kept, "sort": "name"}),
    })


@login_required
def facility_detail_view(request, pk: int):
    facility = get_visible_or_404(
        visible_facilities(request.user).select_related("district", "block"), pk=pk)
    assessments = (facility.assessments.select_related("version__tool", "score")
                   .order_by("-start_date", "-id"))
    from srishti.certification.selectors import facility_current_standings
    from srishti.improvement.selectors import action_item_counts

    return render(request, "geography/facility_detail.html", {
        "facility": facility, "assessments": assessments,
        "standings": facility_current_standings(user=request.user, facility=facility),
        "service_choices": [(name, service_name(name), name in facility.services)
                            for name in OPTIONAL_SERVICES]
        if facility.facility_type == FacilityType.AAM_SC else [],
        "may_edit_profile": can_edit_service_profile(request.user, facility),
        "actions": action_item_counts(user=request.user, facility_id=facility.pk),
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
