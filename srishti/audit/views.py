from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.urls import path

from .models import AuditKind
from .selectors import audit_events

PAGE_SIZE = 50


@login_required
def audit_log_view(request):
    kind = request.GET.get("kind", "")
    if kind not in AuditKind.values:
        kind = ""
    username = request.GET.get("username", "").strip()[:150]
    events = audit_events(user=request.user, kind=kind, username=username)
    page = Paginator(events.select_related("state"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {
        "page": page, "kinds": AuditKind.choices,
        "selected": {"kind": kind, "username": username},
    })


urlpatterns = [path("", audit_log_view, name="audit-log")]
