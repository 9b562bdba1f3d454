"""The People pages, mounted at people/ (the log-in page is routed in config.urls)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.people_list_view, name="people-list"),
    path("add/", views.person_create_view, name="person-create"),
    path("password/", views.password_change_view, name="password-change"),
    path("scope/facilities/", views.scope_facilities_view, name="people-scope-facilities"),
    path("<int:pk>/", views.person_detail_view, name="person-detail"),
    path("<int:pk>/edit/", views.person_edit_view, name="person-edit"),
    path("<int:pk>/password/", views.person_password_reset_view,
         name="person-password-reset"),
    path("<int:pk>/roles/add/", views.membership_add_view, name="membership-add"),
    path("<int:pk>/roles/<int:membership_pk>/remove/", views.membership_remove_view,
         name="membership-remove"),
]
