"""WSGI entry point; production servers set DJANGO_SETTINGS_MODULE explicitly."""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lowcarbon.web.settings.production")
application = get_wsgi_application()
