"""Action plans, mounted at /actions/."""

from django.urls import path

from . import views, views_path

urlpatterns = [
    path("", views.work_list_view, name="work-list"),
    path("assessment/<int:pk>/", views.action_plan_view, name="action-plan"),
    path("assessment/<int:pk>/from-gaps/", views.action_items_from_gaps_view,
         name="action-items-from-gaps"),
    path("assessment/<int:pk>/new/", views.action_item_create_view, name="action-item-create"),
    path("assessment/<int:pk>/path/", views_path.certification_path_view,
         name="certification-path"),
    path("assessment/<int:pk>/path/summary/", views_path.certification_path_summary_view,
         name="certification-path-summary"),
    path("assessment/<int:pk>/path/items/", views_path.action_items_from_plan_view,
         name="action-items-from-plan"),
    path("facility/<int:pk>/", views.facility_action_items_view, name="facility-action-items"),
    path("facility/<int:pk>/readiness/", views_path.facility_readiness_view,
         name="facility-readiness"),
    path("<int:pk>/", views.action_item_detail_view, name="action-item-detail"),
    path("<int:pk>/status/", views.action_item_status_view, name="action-item-status"),
    path("<int:pk>/verify/", views.action_item_verify_view, name="action-item-verify"),
    path("<int:pk>/evidence/", views.evidence_add_view, name="action-evidence-add"),
    path("evidence/<int:pk>/", views.evidence_file_view, name="action-evidence-file"),
]
