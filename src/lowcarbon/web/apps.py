from __future__ import annotations

from django.apps import AppConfig


class WebConfig(AppConfig):
    """Holds the shared templates, static files and management commands."""

    name = "lowcarbon.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from lowcarbon.web import checks  # noqa: F401  (registers the deployment checks)
        from lowcarbon.web.monitoring import dashboard_checks  # noqa: F401  (ECharts is there)
