"""Generated documents: ``/documents/…``."""

from __future__ import annotations

from django.urls import path

from lowcarbon.web.documents import views

app_name = "documents"

urlpatterns = [
    path("applications/<int:pk>/", views.document_list, name="list"),
    path("applications/<int:pk>/request/", views.request_document, name="request"),
    path("applications/<int:pk>/status/", views.document_status, name="status"),
    path("applications/<int:pk>/<int:document_id>/<str:fmt>/", views.download, name="download"),
    path("templates/", views.templates, name="templates"),
    path("templates/reset/", views.template_reset, name="template_reset"),
    path(
        "templates/<int:template_id>/download/",
        views.template_download,
        name="template_download",
    ),
    path(
        "templates/default/<str:kind>/<str:edition>/",
        views.template_default,
        name="template_default",
    ),
]
