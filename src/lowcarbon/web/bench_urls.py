"""URLs of the load benchmark: the whole site plus a ceiling view (``lowcarbon.web.settings.bench``
only; production and development never mount it)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import path

from lowcarbon.web.urls import urlpatterns as site

__all__ = ["ping", "urlpatterns"]


def ping(request: HttpRequest) -> HttpResponse:
    """The ceiling: the same server, middleware and session as the pages, but no template, no
    query of its own and a four-byte answer."""
    return HttpResponse(b"pong", content_type="text/plain")


urlpatterns = [path("bench/ping/", ping, name="bench-ping"), *site]
