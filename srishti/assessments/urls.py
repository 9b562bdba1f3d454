"""Assessment pages; each views module lists its own routes."""

from .views import capture, gaps, manage, scorecard, upload

urlpatterns = [
    *scorecard.urlpatterns,
    *manage.urlpatterns,
    *gaps.urlpatterns,
    *upload.urlpatterns,
    *capture.urlpatterns,
]
