"""The meter register and imports in the admin: read only (writes go through the actions)."""

from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.monitoring.models import ExportSource, ImportRecord, Meter, MeterEvent


@admin.register(Meter)
class MeterAdmin(ReadOnlyAdmin):
    list_display = ("store_id", "name", "unit", "carrier", "use", "reading")
    list_filter = ("carrier", "use")


@admin.register(MeterEvent)
class MeterEventAdmin(ReadOnlyAdmin):
    list_display = ("meter", "kind", "at")


@admin.register(ExportSource)
class ExportSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "unit", "time_column", "value_column", "meter_column")


@admin.register(ImportRecord)
class ImportRecordAdmin(ReadOnlyAdmin):
    list_display = ("file_name", "unit", "imported_at", "rows", "added", "already_stored")
