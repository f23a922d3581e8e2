from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.documents.models import DocumentTemplate, GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "application",
        "kind",
        "year",
        "submission",
        "status",
        "progress",
        "requested_at",
    ]
    list_filter = ["status", "kind"]


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(ReadOnlyAdmin):
    list_display = ["kind", "edition", "original_name", "uploaded_at", "retired_at"]
    list_filter = ["kind", "edition"]
