"""Production: refuses to start unsafe. Configure with environment variables:

``DJANGO_SECRET_KEY`` (required, at least 50 characters), ``DJANGO_ALLOWED_HOSTS`` (required,
comma-separated), ``DJANGO_CSRF_TRUSTED_ORIGINS`` (comma-separated ``https://host``),
``DATABASE_URL``, ``DJANGO_SECURE_PROXY_SSL_HEADER=1`` behind a TLS-terminating proxy.
"""

from __future__ import annotations

import os

from .base import *  # noqa: F403
from .production_checks import ensure_safe

_TRUE = {"1", "true", "yes", "on"}


def _list(name: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, "").split(",") if part.strip()]


DEBUG = os.environ.get("DJANGO_DEBUG", "").strip().lower() in _TRUE
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = _list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = _list("DJANGO_CSRF_TRUSTED_ORIGINS")
ensure_safe(debug=DEBUG, secret_key=SECRET_KEY, allowed_hosts=ALLOWED_HOSTS)

if os.environ.get("DJANGO_SECURE_PROXY_SSL_HEADER", "").strip().lower() in _TRUE:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

SECURE_SSL_REDIRECT = True
SECURE_HSTS_SECONDS = 365 * 24 * 60 * 60
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
# The preload token is inert unless the domain is submitted to the browsers' list.
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_SECURE = True
X_FRAME_OPTIONS = "DENY"
