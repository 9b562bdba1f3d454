"""The programme pages, mounted at programme/."""

from .views import assessors, coverage, staff, trainings

urlpatterns = [
    *staff.urlpatterns,
    *trainings.urlpatterns,
    *coverage.urlpatterns,
    *assessors.urlpatterns,
]
