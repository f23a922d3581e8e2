from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.households.models import Selection

# Households and their ledgers are not in the admin window: the bureau sees aggregates only
# (the households' pages). A selection is listed without its result (which names households).


@admin.register(Selection)
class SelectionAdmin(ReadOnlyAdmin):
    list_display = ["unit", "year", "rules_edition", "runs", "run_at", "published_at"]
    exclude = ["result"]
