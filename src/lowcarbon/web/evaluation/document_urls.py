from __future__ import annotations

from django.urls import path

from lowcarbon.web.evaluation import document_views as views

app_name = "evaluation_documents"
urlpatterns = [
    # The unit's self-evaluation report of a stage (midterm, final) as it stands: docx or pdf.
    path("units/<int:pk>/<str:stage>/<str:fmt>/", views.draft_document, name="draft"),
    # A frozen report (a submission of the stage) as it was frozen: docx or pdf.
    path("reports/<int:pk>/<str:fmt>/", views.frozen_document, name="frozen"),
]
