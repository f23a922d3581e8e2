"""The monitoring system's coverage report and the metered activity workbook, under
``/monitoring/coverage/``."""

from __future__ import annotations

from django.urls import path

from lowcarbon.web.monitoring import coverage_views

app_name = "monitoring_coverage"
urlpatterns = [
    path("", coverage_views.index, name="index"),
    path("unit/<int:pk>/", coverage_views.unit_page, name="unit"),
    path("unit/<int:pk>/<int:year>/coverage.xlsx", coverage_views.coverage_download, name="xlsx"),
    path(
        "unit/<int:pk>/<int:year>/activity-workbook.xlsx",
        coverage_views.prefilled_download,
        name="workbook",
    ),
    path("unit/<int:pk>/<int:year>/archive/", coverage_views.coverage_archive, name="archive"),
]
