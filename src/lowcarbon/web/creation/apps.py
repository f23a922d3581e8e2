from __future__ import annotations

from django.apps import AppConfig


class CreationConfig(AppConfig):
    name = "lowcarbon.web.creation"
    label = "creation"
    default_auto_field = "django.db.models.BigAutoField"
