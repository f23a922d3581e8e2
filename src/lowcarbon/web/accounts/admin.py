from __future__ import annotations

from axes.models import AccessAttempt  # type: ignore[import-untyped]
from django.contrib import admin

from lowcarbon.web.accounts.models import User
from lowcarbon.web.admin_base import ReadOnlyAdmin


@admin.register(User)
class UserAdmin(ReadOnlyAdmin):
    list_display = ["username", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "first_name"]
    exclude = ["password"]


@admin.register(AccessAttempt)
class SignInFailuresAdmin(ReadOnlyAdmin):
    """Failed sign-ins counted per user name, address and browser (accounts.sign_in)."""

    list_display = ["username", "ip_address", "failures_since_start", "attempt_time", "path_info"]
    search_fields = ["username", "ip_address"]
    exclude = ["get_data", "post_data"]
