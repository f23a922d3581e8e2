from __future__ import annotations

from django.urls import path

from lowcarbon.web.creation import rectification_views, views

app_name = "creation"
urlpatterns = [
    path("todos/", views.todos, name="todos"),
    path("units/", views.unit_list, name="list"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/status/", views.unit_status, name="status"),
    path("units/<int:pk>/items/<int:item_pk>/extend/", views.unit_extend, name="extend"),
    path("units/<int:pk>/items/<int:item_pk>/done/", views.record_completion, name="complete"),
    path(
        "units/<int:pk>/rectifications/new/",
        rectification_views.rectification_issue,
        name="rectification_issue",
    ),
    path(
        "rectifications/<int:pk>/",
        rectification_views.rectification_order,
        name="rectification",
    ),
    path(
        "rectifications/<int:pk>/items/<int:number>/answer/",
        rectification_views.rectification_answer,
        name="rectification_answer",
    ),
    path(
        "rectifications/<int:pk>/submit/",
        rectification_views.rectification_submit,
        name="rectification_submit",
    ),
    path(
        "rectifications/<int:pk>/close/",
        rectification_views.rectification_close,
        name="rectification_close",
    ),
    path(
        "rectifications/<int:pk>/return/",
        rectification_views.rectification_return,
        name="rectification_return",
    ),
    path(
        "rectifications/files/<int:pk>/",
        rectification_views.rectification_file,
        name="rectification_file",
    ),
    path("rounds/<int:pk>/schedule/", views.round_schedule, name="schedule"),
    path("schedule/<int:pk>/edit/", views.schedule_item_edit, name="schedule_edit"),
]
