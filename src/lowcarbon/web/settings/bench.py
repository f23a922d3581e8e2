"""Load benchmark (``bench/bench_web.py``): production-like, on the local machine only.

As production: DEBUG off, the real password hasher, sessions in the database and renewed at most
once a minute, compressed static files collected under ``var/static``. Unlike production: a
fixed key that is public (this module is for a throw-away benchmark database, never for a
deployment), plain HTTP on 127.0.0.1 (no TLS redirect, no secure-only cookies), and a bare
``/bench/ping/`` view as the ceiling (``lowcarbon.web.bench_urls``).

The database is the throw-away SQLite file under ``LOWCARBON_VAR_DIR`` or the PostgreSQL server
of ``DATABASE_URL``; the benchmark sets both.
"""

from __future__ import annotations

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "bench-only-key-public-in-the-repository-never-deploy-it-0123456789"
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "lowcarbon.web.bench_urls"

# Sign-in throttling (django-axes, lowcarbon.web.accounts.sign_in) counts failed sign-ins per
# user name and per address. The simulated users sign in correctly, which never counts; but all
# of them come from 127.0.0.1 and several share each demo account, so one failure pattern (a
# stale password file) would lock every user out for the window and the run would measure
# refusals. The benchmark therefore lifts the limits; the counting still runs on every sign-in.
AXES_FAILURE_LIMIT = 1_000_000
LOWCARBON_SIGN_IN_ADDRESS_FAILURE_LIMIT = 1_000_000

# Permission refusals and the like still log; nothing else writes per request.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"lowcarbon.web": {"handlers": ["console"], "level": "WARNING"}},
}
