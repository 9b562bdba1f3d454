from django.urls import path

from srishti.dashboards.views import home_view

from . import views

urlpatterns = [
    path("", home_view, name="home"),
    path("facilities/", views.facility_list_view, name="facility-list"),
    path("facilities/<int:pk>/", views.facility_detail_view, name="facility-detail"),
    path("facilities/<int:pk>/service-profile/", views.facility_profile_view,
         name="facility-service-profile"),
]
