from __future__ import annotations

from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "lowcarbon.web.rounds"
    label = "rounds"
    default_auto_field = "django.db.models.BigAutoField"
