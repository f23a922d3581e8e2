"""Response headers the browser enforces: the Permissions-Policy (the Content-Security-Policy
comes from django-csp, configured in the settings)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

__all__ = ["PermissionsPolicyMiddleware"]


class PermissionsPolicyMiddleware:
    """``Permissions-Policy: <settings.LOWCARBON_PERMISSIONS_POLICY>`` on every response: the
    platform uses no camera, microphone, location or other device feature, so no page (and
    nothing injected into one) may ask for them."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = ", ".join(
            f"{feature}=({' '.join(allowed)})"
            for feature, allowed in settings.LOWCARBON_PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", self.policy)
        return response
