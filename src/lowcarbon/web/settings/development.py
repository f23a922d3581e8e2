"""Local development: DEBUG on, a fixed insecure key, SQLite under ``var/``."""

from __future__ import annotations

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = "django-insecure-development-only-never-use-in-production"
ALLOWED_HOSTS = ["localhost", "127.0.0.1", "[::1]"]
# Static files straight from the apps, without collectstatic.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
