"""The campaign pages, mounted at campaigns/."""

from .views import urlpatterns

__all__ = ["urlpatterns"]
