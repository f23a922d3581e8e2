from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.applications.models import Application


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ["unit", "round", "kind", "status", "version", "updated_at"]
    list_filter = ["round", "kind", "status"]
