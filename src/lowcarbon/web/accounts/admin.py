from __future__ import annotations

from django.contrib import admin

from lowcarbon.web.accounts.models import User
from lowcarbon.web.admin_base import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name"]
    exclude = ["password"]
