from django.contrib import admin
from django.urls import include, path

from srishti.accounts.views import (
    login_view,
    password_reset_confirm_view,
    password_reset_view,
)

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Ours first: lock-out and its message; Django's auth urls still serve log-out.
    path("accounts/login/", login_view, name="login"),
    path("accounts/password_reset/", password_reset_view, name="password_reset"),
    path("accounts/reset/<uidb64>/<token>/", password_reset_confirm_view,
         name="password_reset_confirm"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("people/", include("srishti.accounts.urls")),
    path("", include("srishti.sync.urls")),  # sw.js and the manifest live at the root
    path("", include("srishti.geography.urls")),
    path("assessments/", include("srishti.assessments.urls")),
    path("actions/", include("srishti.improvement.urls")),
    path("certification/", include("srishti.certification.urls")),
    path("dashboards/", include("srishti.dashboards.urls")),
    path("reports/", include("srishti.reports.urls")),
    path("audit/", include("srishti.audit.views")),
    path("jobs/", include("srishti.jobs.urls")),
    path("notifications/", include("srishti.notifications.views")),
    path("indicators/", include("srishti.indicators.urls")),
    path("programmes/", include("srishti.programmes.urls")),
    path("programme/", include("srishti.programme.urls")),
    path("campaigns/", include("srishti.campaigns.urls")),
]
