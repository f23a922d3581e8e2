from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.organisations.models import District, Organisation


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name"]


@admin.register(Organisation)
class OrganisationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "district", "parent"]
    list_filter = ["kind", "district"]
    search_fields = ["name"]
