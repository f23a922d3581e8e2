from __future__ import annotations

from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    name = "lowcarbon.web.applications"
    label = "applications"
    default_auto_field = "django.db.models.BigAutoField"
