from __future__ import annotations

from django.urls import path

from lowcarbon.web.applications import (
    assessment_views,
    baseline_views,
    submission_views,
    task_views,
    views,
)

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.workspace, name="workspace"),
    path("<int:pk>/sections/<str:section_id>/", views.edit_section, name="edit_section"),
    # Each part of the workspace declares its own routes.
    *baseline_views.urlpatterns,
    *task_views.urlpatterns,
    *assessment_views.urlpatterns,
    *submission_views.urlpatterns,
]
