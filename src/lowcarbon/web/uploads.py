"""Request bodies within their limits, refused before they are read or kept.

- :class:`RequestSizeLimitMiddleware` answers 413 with a page in the user's language, naming
  the limit, when the declared ``Content-Length`` is beyond ``LOWCARBON_REQUEST_MAX_BYTES`` (or,
  for a body without files, beyond ``DATA_UPLOAD_MAX_MEMORY_SIZE``), before anything reads the
  body: CSRF's check reads the form only later, in ``process_view``.
- :class:`CappedTemporaryFileUploadHandler` streams each uploaded file to a temporary file and
  keeps at most ``LOWCARBON_UPLOAD_MAX_BYTES`` + 1 bytes of it; the rest is counted, not kept.
  The file's ``size`` is what was sent, so every form refuses it with its own message ("the
  file is 25.0 MB, larger than the limit of 20.0 MB"), and anything reading the kept bytes up
  to the limit + 1 sees that there is more.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from lowcarbon.rules.archives import format_size
from lowcarbon.web.api.errors import problem_response, status_problem

__all__ = ["CappedTemporaryFileUploadHandler", "RequestSizeLimitMiddleware"]


def _declared_length(request: HttpRequest) -> int | None:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None
    return length if length >= 0 else None


class RequestSizeLimitMiddleware:
    """413 for a body larger than the limits, decided on the declared length alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        length = _declared_length(request)
        if length is not None:
            limit = int(settings.LOWCARBON_REQUEST_MAX_BYTES)
            content_type = request.META.get("CONTENT_TYPE", "")
            if not content_type.startswith("multipart/"):
                limit = min(limit, int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE))
            if length > limit:
                return _too_large(request, length, limit)
        return self.get_response(request)


def _too_large(request: HttpRequest, length: int, limit: int) -> HttpResponse:
    if request.path.startswith("/api/"):
        # A gateway or a district's system reads problems, never a page (docs/api.md).
        response = problem_response(request, status_problem(request, 413))
        response["Connection"] = "close"
        return response
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = ""
    response = render(
        request,
        "413.html",
        {
            "size": format_size(length),
            "limit": format_size(limit),
            "file_limit": format_size(int(settings.LOWCARBON_UPLOAD_MAX_BYTES)),
            "back": back,
        },
        status=413,
    )
    # The body was not read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


class CappedTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Each file to a temporary file on disk, at most the upload limit + 1 bytes of it kept."""

    def new_file(
        self,
        field_name: str,
        file_name: str,
        content_type: str,
        content_length: int | None,
        charset: str | None = None,
        content_type_extra: dict[str, bytes] | None = None,
    ) -> None:
        super().new_file(
            field_name, file_name, content_type, content_length, charset, content_type_extra
        )
        self.kept = 0
        self.keep = int(settings.LOWCARBON_UPLOAD_MAX_BYTES) + 1

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        room = self.keep - self.kept
        if room > 0:
            part = raw_data[:room]
            self.file.write(part)
            self.kept += len(part)

    def file_complete(self, file_size: int) -> UploadedFile:
        self.file.seek(0)
        self.file.size = file_size  # what was sent, though at most the limit + 1 is kept
        return self.file
