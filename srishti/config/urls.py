from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("srishti.geography.urls")),
    path("assessments/", include("srishti.assessments.urls")),
    path("actions/", include("srishti.improvement.urls")),
    path("certification/", include("srishti.certification.urls")),
    path("dashboards/", include("srishti.dashboards.urls")),
    path("reports/", include("srishti.reports.urls")),
]
