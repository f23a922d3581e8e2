"""The idle timeout without a database write on every request.

A session lives ``SESSION_COOKIE_AGE`` seconds after it was last saved. Saving it on every
request (``SESSION_SAVE_EVERY_REQUEST``) would make every page view a write, and on SQLite
every write waits for the one writer. Instead a signed-in session is saved again only when its
last renewal is at least ``SESSION_RENEW_INTERVAL`` seconds old: a person idle for the whole
age is signed out, give or take that interval; a person reading pages writes once a minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse

__all__ = ["RENEWED_AT", "SessionRenewalMiddleware"]

RENEWED_AT = "_renewed_at"


class SessionRenewalMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        # Only a signed-in person's session: a visitor gets none created here.
        if session.session_key is not None and SESSION_KEY in session:
            now = int(time.time())
            last = session.get(RENEWED_AT)
            if not isinstance(last, int) or now - last >= settings.SESSION_RENEW_INTERVAL:
                session[RENEWED_AT] = now  # marks it modified: saved with a new expiry
        return self.get_response(request)
