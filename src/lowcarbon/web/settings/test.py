"""Test settings: fast hashing, in-memory SQLite, a local cache; nothing touches the network."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import dj_database_url

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key-not-secret"
ALLOWED_HOSTS = ["testserver", "localhost"]
# In-memory SQLite by default; `make test-postgres` runs the same tests on a real PostgreSQL
# server by setting LOWCARBON_TEST_DATABASE_URL (postgres://…).
if os.environ.get("LOWCARBON_TEST_DATABASE_URL"):
    DATABASES = {"default": dj_database_url.parse(os.environ["LOWCARBON_TEST_DATABASE_URL"])}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Uploads of a test run go to a throw-away folder, never into var/.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="lowcarbon-test-media-"))
LOWCARBON_MONITORING_DIR = Path(tempfile.mkdtemp(prefix="lowcarbon-test-monitoring-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="lowcarbon-test-static-"))
WHITENOISE_USE_FINDERS = True
STORAGES = STORAGES | {  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
}
