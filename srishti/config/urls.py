from django.contrib import admin
from django.urls import include, path

from srishti.accounts.views import login_view

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ours first: lock-out and its message; Django's auth urls still serve log-out.
    path("accounts/login/", login_view, name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("people/", include("srishti.accounts.urls")),
    path("", include("srishti.sync.urls")),  # sw.js and the manifest live at the root
    path("", include("srishti.geography.urls")),
    path("assessments/", include("srishti.assessments.urls")),
    path("actions/", include("srishti.improvement.urls")),
    path("certification/", include("srishti.certification.urls")),
    path("dashboards/", include("srishti.dashboards.urls")),
    path("reports/", include("srishti.reports.urls")),
    path("programme/", include("srishti.programme.urls")),
    path("campaigns/", include("srishti.campaigns.urls")),
]
