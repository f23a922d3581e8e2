"""The monthly emission pages draw their charts with ECharts served from this server (never a
CDN: government intranets have no internet). ``scripts/vendor-assets`` installs it at set-up;
a deployment without it would show the tables only, so ``manage.py check`` says so."""

from __future__ import annotations

from typing import Any

from django.contrib.staticfiles import finders
from django.core.checks import CheckMessage, Error, Tags, register

__all__ = ["ECHARTS", "check_echarts"]

#: The static file the pages load (static/lowcarbon/dashboard.js draws with it).
ECHARTS = "vendor/echarts/echarts.min.js"


@register(Tags.staticfiles)
def check_echarts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if finders.find(ECHARTS):
        return []
    return [
        Error(
            f"The static file {ECHARTS} is missing: the monthly emission pages cannot draw "
            "their charts (their tables still show).",
            hint="Run scripts/vendor-assets (part of `make`): it installs ECharts from the npm "
            "registry as assets/package-lock.json pins it.",
            id="lowcarbon.E017",
        )
    ]
