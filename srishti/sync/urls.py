from django.urls import path

from . import views

urlpatterns = [
    path("sw.js", views.service_worker_view, name="service-worker"),
    path("manifest.webmanifest", views.manifest_view, name="manifest"),
    path("offline/", views.offline_view, name="offline"),
    path("sync/photos/<uuid:client_id>/", views.photo_view, name="sync-photo"),
]
