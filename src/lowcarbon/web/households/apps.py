from __future__ import annotations

from django.apps import AppConfig


class HouseholdsConfig(AppConfig):
    name = "lowcarbon.web.households"
    label = "households"
    default_auto_field = "django.db.models.BigAutoField"
