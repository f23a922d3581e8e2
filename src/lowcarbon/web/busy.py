"""A database that stays busy is a "save again" page (503), never a server error (500).

SQLite has one writer at a time. With the settings' busy timeout a writer waits for the one
before it; only when it has waited the whole timeout does SQLite raise "database is locked".
That is not a fault of the platform or of the person: the answer is a 503 with ``Retry-After``
and a page that says someone else is saving and nothing was saved (the action's transaction was
rolled back). ``DatabaseBusyMiddleware`` answers for the views; ``server_error`` (the root
URLconf's ``handler500``) for the rest, e.g. the session saved after the view.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.db.utils import OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

__all__ = ["DatabaseBusyMiddleware", "busy_response", "is_database_busy", "server_error"]

logger = logging.getLogger("lowcarbon.web.busy")

RETRY_AFTER_SECONDS = 5
_BUSY = ("database is locked", "database table is locked", "database is busy")


def is_database_busy(error: BaseException | None) -> bool:
    return isinstance(error, OperationalError) and any(text in str(error).lower() for text in _BUSY)


def busy_response(request: HttpRequest) -> HttpResponse:
    # Rendered without the request: its context processors would read the session and the
    # user, and the page must not depend on the database that is busy.
    logger.warning("database busy: %s %s answered 503", request.method, request.path)
    response = HttpResponse(loader.render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseBusyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        return busy_response(request) if is_database_busy(exception) else None


def server_error(request: HttpRequest) -> HttpResponse:
    """``handler500``: called while the uncaught exception is being handled."""
    if is_database_busy(sys.exc_info()[1]):
        return busy_response(request)
    return defaults.server_error(request)
