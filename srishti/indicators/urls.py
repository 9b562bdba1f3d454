from django.urls import path

from . import views

urlpatterns = [
    path("", views.overview_view, name="indicator-overview"),
    path("facilities/<int:pk>/", views.facility_view, name="indicator-facility"),
    path("facilities/<int:pk>/entry/", views.entry_view, name="indicator-entry"),
    path("facilities/<int:pk>/template.xlsx", views.template_view, name="indicator-template"),
    path("facilities/<int:pk>/upload/", views.upload_view, name="indicator-upload"),
    path("districts/<int:pk>/", views.district_view, name="indicator-district"),
    path("districts/<int:pk>/<str:code>/", views.district_indicator_view,
         name="indicator-district-one"),
    path("capture/<int:pk>/<int:department_pk>/", views.capture_view,
         name="indicator-capture"),
]
