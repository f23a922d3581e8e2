"""Posted text the database can keep: a NUL character (``\\0``) is refused for the whole request.

PostgreSQL stores no NUL in text or JSON (``A string literal cannot contain NUL``, a 500 on the
save); Django's form fields refuse it, but much of the platform reads posted values directly
(self-assessment answers, expert scores, plan tables, reasons kept in the audit log). No person
types a NUL: it comes from a crafted request or a damaged paste, so one answer for the request,
before any view, covers every field at once: 400, a page in the user's language, nothing saved.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

__all__ = ["NulCharacterMiddleware"]

logger = logging.getLogger(__name__)

_NUL = "\x00"


def _names_with_nul(request: HttpRequest) -> list[str]:
    found: list[str] = []
    for name, values in request.POST.lists():
        if _NUL in name or any(_NUL in value for value in values):
            found.append(name.replace(_NUL, "\\0"))
    for name, uploads in request.FILES.lists():
        if _NUL in name or any(_NUL in (upload.name or "") for upload in uploads):
            found.append(name.replace(_NUL, "\\0"))
    return found


class NulCharacterMiddleware:
    """400 for a POST whose fields (names, values or file names) hold a NUL character."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            names = _names_with_nul(request)
            if names:
                logger.warning(
                    "NUL character refused: path=%s fields=%s", request.path, ", ".join(names)
                )
                return _refused(request, names)
        return self.get_response(request)


def _refused(request: HttpRequest, names: list[str]) -> HttpResponse:
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    return render(request, "400_nul.html", {"back": back}, status=400)
