from __future__ import annotations

from django.urls import path

from lowcarbon.web.evaluation import comparison_views as views

app_name = "comparison"
urlpatterns = [
    # A unit's application score against its acceptance score of a stage, item by item.
    path("units/<int:pk>/scores/<str:stage>/", views.scores, name="scores"),
    # A unit's planned against achieved reductions, task by task.
    path("units/<int:pk>/tasks/", views.tasks, name="tasks"),
    # The batches, and one batch (a round, kind and stage) side by side, with its workbook.
    path("batches/", views.batches, name="batches"),
    path("batches/<int:round_pk>/<str:kind>/<str:stage>/", views.batch, name="batch"),
    path(
        "batches/<int:round_pk>/<str:kind>/<str:stage>/xlsx/",
        views.batch_export,
        name="batch_export",
    ),
]
