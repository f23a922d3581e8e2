"""The conditions production settings refuse to start without (importable on their own)."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

__all__ = ["ensure_safe"]


def ensure_safe(*, debug: bool, secret_key: str, allowed_hosts: list[str]) -> None:
    """Raise ImproperlyConfigured unless the deployment is safe to start."""
    if debug:
        raise ImproperlyConfigured(
            "DJANGO_DEBUG is on: production settings refuse to run with DEBUG, which would "
            "show stack traces and settings to anyone. Unset DJANGO_DEBUG."
        )
    if not secret_key or secret_key.startswith("django-insecure") or len(secret_key) < 50:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is missing or is the development default: set it to a random "
            "value of at least 50 characters, e.g. the output of "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )
    if not allowed_hosts:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is empty: set it to the comma-separated host names the "
            "platform is served under, e.g. 'lowcarbon.sthj.sh.gov.cn'."
        )
    if "*" in allowed_hosts:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS contains '*', which accepts any Host header (links in mails "
            "and redirects could then point elsewhere): list the host names the platform is "
            "served under, e.g. 'lowcarbon.sthj.sh.gov.cn'."
        )
