"""``make demo``: the development settings with DEBUG off, as a person trying the platform sees it.

DEBUG would answer a refused or unknown address with Django's English debug page, which lists the
URL patterns and settings; the demo shows the platform's own Chinese 403/404/500 pages instead.
Static files still come straight from the apps through WhiteNoise (``WHITENOISE_USE_FINDERS`` in
the development settings), so no ``collectstatic`` is needed. ``serve_demo`` runs only under
these settings (``LOWCARBON_DEMO``).
"""

from __future__ import annotations

from .development import *  # noqa: F403

DEBUG = False
LOWCARBON_DEMO = True
