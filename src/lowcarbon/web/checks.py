"""Deployment checks (``manage.py check --deploy``) beside Django's own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

__all__ = ["check_allowed_hosts", "check_browser_policies"]


@register(Tags.security, deploy=True)
def check_allowed_hosts(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if "*" in settings.ALLOWED_HOSTS:
        return [
            Error(
                "ALLOWED_HOSTS contains '*': any Host header is accepted, so links in "
                "password-reset mails and redirects can be made to point elsewhere.",
                hint="List the host names the platform is served under (DJANGO_ALLOWED_HOSTS).",
                id="lowcarbon.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_browser_policies(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    required = {
        "csp.middleware.CSPMiddleware": "the Content-Security-Policy",
        "lowcarbon.web.headers.PermissionsPolicyMiddleware": "the Permissions-Policy",
    }
    errors: list[CheckMessage] = [
        Error(
            f"{middleware} is not in MIDDLEWARE: responses go out without {header}.",
            hint="Keep the MIDDLEWARE of lowcarbon.web.settings.base.",
            id="lowcarbon.E002",
        )
        for middleware, header in required.items()
        if middleware not in settings.MIDDLEWARE
    ]
    directives = (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get("DIRECTIVES", {})
    for directive in ("script-src", "style-src"):
        sources = directives.get(directive) or directives.get("default-src") or []
        if "'unsafe-inline'" in sources or "'unsafe-eval'" in sources:
            errors.append(
                Error(
                    f"The Content-Security-Policy allows inline code in {directive}.",
                    hint="Move scripts and styles into static files.",
                    id="lowcarbon.E003",
                )
            )
    return errors
