from __future__ import annotations

from django.urls import path

from lowcarbon.web.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.workspace, name="workspace"),
    path("<int:pk>/sections/<str:section_id>/", views.edit_section, name="edit_section"),
]
