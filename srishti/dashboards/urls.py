from django.urls import path

from . import views

urlpatterns = [
    path("", views.state_dashboard_view, name="dashboard-state"),
    path("districts/<int:pk>/", views.district_dashboard_view, name="dashboard-district"),
    path("divisions/<int:pk>/", views.division_dashboard_view, name="dashboard-division"),
    path("blocks/<int:pk>/", views.block_dashboard_view, name="dashboard-block"),
]
