from __future__ import annotations

from django.urls import path

from lowcarbon.web.creation import views

app_name = "creation"
urlpatterns = [
    path("todos/", views.todos, name="todos"),
    path("units/", views.unit_list, name="list"),
    path("units/<int:pk>/", views.unit_detail, name="unit"),
    path("units/<int:pk>/status/", views.unit_status, name="status"),
    path("units/<int:pk>/items/<int:item_pk>/extend/", views.unit_extend, name="extend"),
    path("units/<int:pk>/items/<int:item_pk>/done/", views.record_completion, name="complete"),
    path("rounds/<int:pk>/schedule/", views.round_schedule, name="schedule"),
    path("schedule/<int:pk>/edit/", views.schedule_item_edit, name="schedule_edit"),
]
