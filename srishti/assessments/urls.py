from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/", views.assessment_detail_view, name="assessment-detail"),
]
