from django.urls import path

from . import views

urlpatterns = [
    path("facility/<int:pk>/", views.pipeline_view, name="certification-pipeline"),
    path("facility/<int:pk>/records/new/", views.record_create_view,
         name="certification-record-create"),
    path("facility/<int:pk>/derive/", views.derive_view, name="certification-derive"),
    path("records/<int:pk>/edit/", views.record_edit_view, name="certification-record-edit"),
    path("records/<int:pk>/certificate/", views.certificate_view,
         name="certification-certificate"),
    path("alerts/", views.alerts_view, name="certification-alerts"),
    path("targets/", views.target_list_view, name="mission-target-list"),
    path("targets/new/", views.target_create_view, name="mission-target-create"),
    path("targets/<int:pk>/", views.target_progress_view, name="mission-target-progress"),
]
