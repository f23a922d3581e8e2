"""Settings shared by every environment. Values that differ come from environment variables."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parents[2]  # src/lowcarbon
REPO_ROOT = PACKAGE_DIR.parents[1]
VAR_DIR = Path(os.environ.get("LOWCARBON_VAR_DIR", REPO_ROOT / "var"))

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    # django-ninja: its Swagger UI files served from here (the API's docs page, no CDN).
    "ninja",
    "lowcarbon.web",
    "lowcarbon.web.organisations",
    "lowcarbon.web.accounts",
    "lowcarbon.web.audit",
    "lowcarbon.web.rounds",
    "lowcarbon.web.applications",
    "lowcarbon.web.review",
    "lowcarbon.web.documents",
    "lowcarbon.web.creation",
    "lowcarbon.web.archive",
    "lowcarbon.web.reminders",
    "lowcarbon.web.evaluation",
    "lowcarbon.web.monitoring",
    "lowcarbon.web.api",
    "lowcarbon.web.households",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "lowcarbon.web.headers.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "lowcarbon.web.sessions.SessionRenewalMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before anything reads a body (CSRF reads the form in process_view): 413 by its length.
    "lowcarbon.web.uploads.RequestSizeLimitMiddleware",
    # A NUL character in any posted field: 400 before a view stores it (PostgreSQL cannot).
    "lowcarbon.web.request_text.NulCharacterMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "lowcarbon.web.audit.middleware.AuditContextMiddleware",
    "lowcarbon.web.busy.DatabaseBusyMiddleware",
    # Last: turns a sign-in refused by axes into the lockout page (accounts.sign_in).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "lowcarbon.web.urls"
WSGI_APPLICATION = "lowcarbon.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Embedded SQLite by default; PostgreSQL through DATABASE_URL (postgres://…).
if "DATABASE_URL" not in os.environ:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'lowcarbon.sqlite3'}", conn_max_age=600
    )
}
# SQLite for a small office's concurrent use: readers never block the writer (WAL), a writer
# waits up to 20 s for another (busy timeout), and a writing transaction takes the write lock
# at BEGIN, so two of them queue instead of one failing half-way with "database is locked".
# A writer still waiting after the timeout gets the "busy, save again" page (web.busy).
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Content-Security-Policy (django-csp): everything from this site, nothing inline. Scripts are
# static files (data in data- attributes or json_script), styles are static style sheets, and
# no style="" attribute is used: a page cannot run or restyle what someone typed into it.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Permissions-Policy (web.headers): no page needs a device feature.
LOWCARBON_PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# Mail serves only the password reset (accounts.recovery), offered when DJANGO_EMAIL_HOST is
# set; otherwise the reset pages say whom to ask: LOWCARBON_ACCOUNT_HELP (e.g. a desk and its
# phone number), or the platform's administrator.
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "").strip().lower() in {"1", "true", "on"}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
LOWCARBON_ACCOUNT_HELP = os.environ.get("LOWCARBON_ACCOUNT_HELP", "")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Idle timeout: the session lives 30 minutes; a request renews it, at most once a minute
# (web.sessions.SessionRenewalMiddleware), so reading pages does not write to the database.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_INTERVAL = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in throttling with django-axes (lowcarbon.web.accounts.sign_in): failures counted in the
# database, so every server process sees them; an account is paused after 5 failures, an address
# after 20 over any accounts, for 15 minutes. Its backend guards every sign-in, the admin's too.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "lowcarbon.web.accounts.sign_in.SignInHandler"
AXES_FAILURE_LIMIT = 5
LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT = int(
    os.environ.get("LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT", "20")
)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_COOLOFF_TIME = timedelta(minutes=15)
# Refused attempts during a lockout neither extend it nor grow the stored counts.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_CALLABLE = "lowcarbon.web.accounts.sign_in.username_of"
AXES_CLIENT_IP_CALLABLE = "lowcarbon.web.audit.middleware.client_ip"
AXES_LOCKOUT_CALLABLE = "lowcarbon.web.accounts.sign_in.locked_out_response"
# Sign-ins are in the audit log (accounts.actions); axes keeps only the failure counts.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The counts are shown read-only in the admin (accounts.admin); a lockout is lifted early with
# `manage.py axes_reset_username` (axes' own admin would delete rows unaudited).
AXES_ENABLE_ADMIN = False

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Shanghai"
USE_TZ = True

# Government intranets: every asset is served from here, nothing from a CDN.
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded evidence and workbooks. Files are never served from MEDIA_URL directly: a view checks
# the permission and streams them.
MEDIA_ROOT = Path(os.environ.get("LOWCARBON_MEDIA_DIR", VAR_DIR / "media"))
MEDIA_URL = "/media-not-served/"
# The monitoring system's store of meter readings (Parquet by community and month, the meter
# register, each import's report): lowcarbon.web.monitoring.stores.
LOWCARBON_MONITORING_DIR = Path(os.environ.get("LOWCARBON_MONITORING_DIR", VAR_DIR / "monitoring"))
# The public API (lowcarbon.web.api, docs/api.md): requests per token (per client address without
# one) in each window of seconds, kept in the cache (shared by every process in production);
# beyond it 429 with Retry-After.
LOWCARBON_API_RATE_LIMIT = int(os.environ.get("LOWCARBON_API_RATE_LIMIT", "120"))
LOWCARBON_API_RATE_WINDOW = int(os.environ.get("LOWCARBON_API_RATE_WINDOW", "60"))
# One uploaded file at most (bytes): evidence, workbook, photo, Word template. Of a larger file
# no more than this is kept on disk (lowcarbon.web.uploads); the form names both sizes.
LOWCARBON_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
# One request at most (an inspection's photos come several at once): a larger declared body is
# answered 413, naming the limit, before it is read (lowcarbon.web.uploads).
LOWCARBON_REQUEST_MAX_BYTES = 100 * 1024 * 1024
# Form fields without files; a body of fields only beyond this is answered 413 as well.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request up to this size is kept in memory, a larger one streamed to disk with the cap.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "lowcarbon.web.uploads.CappedTemporaryFileUploadHandler",
]

# Background work (document generation): tasks are rows of the database, run by
# `manage.py db_worker` (a separate process in production; `serve_demo` runs one in a thread).
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}
# A document job gives a sign of life at every step and every 10 seconds while LibreOffice
# converts; one silent for this long was stopped (crash, kill -9, restart) and is marked failed
# ("generation interrupted") so the document can be asked for again. It must exceed the longest
# step without a sign (writing a large plan's Word file: seconds).
LOWCARBON_DOCUMENT_JOB_STALE_SECONDS = int(
    os.environ.get("LOWCARBON_DOCUMENT_JOB_STALE_SECONDS", "120")
)
# A job still waiting for the worker after this long: the worker is not running.
LOWCARBON_DOCUMENT_QUEUE_STALE_SECONDS = int(
    os.environ.get("LOWCARBON_DOCUMENT_QUEUE_STALE_SECONDS", str(30 * 60))
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"lowcarbon.web": {"handlers": ["console"], "level": "INFO"}},
}
