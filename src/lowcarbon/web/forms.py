"""Forms of the shared pages (login)."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lowcarbon.web import throttle
from lowcarbon.web.audit.middleware import client_ip

__all__ = ["ThrottledAuthenticationForm"]

logger = logging.getLogger("lowcarbon.web.login")


class ThrottledAuthenticationForm(AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = client_ip(self.request) if self.request is not None else None
        if throttle.is_locked(username, ip):
            logger.warning("login refused, too many failures: user=%s ip=%s", username, ip)
            raise ValidationError(
                _(
                    "Too many failed sign-in attempts for this user name. "
                    "Try again in 15 minutes or ask the administrator to reset your password."
                ),
                code="throttled",
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.clear_failures(username, ip)
        return cleaned
