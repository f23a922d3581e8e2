from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.rounds.models import Round


@admin.register(Round)
class RoundAdmin(ReadOnlyAdmin):
    list_display = ["year", "status", "submission_deadline", "review_deadline", "factor_set_id"]
