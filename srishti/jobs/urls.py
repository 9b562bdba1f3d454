from django.urls import path

from . import views

urlpatterns = [
    path("", views.job_list_view, name="job-list"),
    path("<int:pk>/", views.job_detail_view, name="job-detail"),
    path("<int:pk>/file", views.job_download_view, name="job-download"),
]
