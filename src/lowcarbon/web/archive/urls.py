from __future__ import annotations

from django.urls import path

from lowcarbon.web.archive import views

app_name = "archive"
urlpatterns = [
    path("units/<int:pk>/", views.unit_archive, name="unit"),
    path("units/<int:pk>/new/<slug:category>/", views.record_add, name="add"),
    path("units/<int:pk>/items/", views.unit_items, name="items"),
    path("units/<int:pk>/volunteers/", views.volunteers, name="volunteers"),
    path("records/<int:pk>/", views.record_detail, name="record"),
    path("records/<int:pk>/edit/", views.record_edit, name="edit"),
    path("records/<int:pk>/remove/", views.record_remove, name="remove"),
    path("records/<int:pk>/publish/", views.record_publish, name="publish"),
    path("files/<int:pk>/", views.archive_file, name="file"),
    path("public/<int:pk>/", views.public_reports, name="public"),
]
