from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.admin_base import ReadOnlyAdmin
from lowcarbon.web.review.models import Assignment, ConflictDeclaration, Decision, Panel


@admin.register(Panel)
class PanelAdmin(ReadOnlyAdmin):
    list_display = ["name", "round", "kind", "deadline"]
    list_filter = ["round", "kind"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ["panel", "application", "expert", "status", "assigned_at"]
    list_filter = ["panel", "status"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ReadOnlyAdmin):
    list_display = ["expert", "application", "source", "created_at", "overridden_at"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["application", "outcome", "decided_at", "published_at"]
