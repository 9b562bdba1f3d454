"""Assessment pages; each views module lists its own routes."""

from .views import capture, gaps, listing, manage, scorecard, upload

urlpatterns = [
    *listing.urlpatterns,
    *scorecard.urlpatterns,
    *manage.urlpatterns,
    *gaps.urlpatterns,
    *upload.urlpatterns,
    *capture.urlpatterns,
]
