from django.urls import path
from django.views.generic import RedirectView

from . import views

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="facility-list"), name="home"),
    path("facilities/", views.facility_list_view, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_detail_view, name="facility-detail"),
]
