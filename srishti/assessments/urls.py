"""Assessment pages; each views module lists its own routes."""

from .views import scorecard

urlpatterns = [
    *scorecard.urlpatterns,
]
