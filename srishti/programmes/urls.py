from django.urls import path

from . import views

urlpatterns = [
    path("", views.programmes_view, name="programmes"),
    path("facilities/<int:pk>/", views.facility_view, name="programme-facility"),
    path("facilities/<int:pk>/<str:programme>/new/", views.record_create_view,
         name="programme-record-create"),
    path("records/<int:pk>/edit/", views.record_edit_view, name="programme-record-edit"),
    path("<str:programme>/", views.overview_view, name="programme-overview"),
]
