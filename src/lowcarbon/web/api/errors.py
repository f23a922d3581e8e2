"""Errors as ``application/problem+json`` (RFC 9457) with a stable code and the message in
Chinese and English: ``title`` and ``detail`` in the request's language (Accept-Language, Chinese
by default), ``title_zh``/``title_en`` and ``detail_zh``/``detail_en`` always. Never a traceback.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import gettext, gettext_noop

__all__ = [
    "PROBLEM_TYPE",
    "ApiProblem",
    "Text",
    "problem_response",
    "problem_view",
    "status_problem",
]

logger = logging.getLogger("lowcarbon.web.api")

PROBLEM_TYPE = "application/problem+json"
#: ``type`` of every problem: a URN ending in its code (docs/api.md lists the codes).
TYPE_BASE = "urn:lowcarbon:problem:"


@dataclass(frozen=True)
class Text:
    """A message id (English) and its parameters, rendered in any language."""

    msgid: str
    params: Mapping[str, Any] = field(default_factory=dict)

    def render(self, language: str) -> str:
        with translation.override(language):
            return gettext(self.msgid).format(**self.params)


#: The title of each status's problem and its stable code.
STATUS = {
    400: ("bad_request", gettext_noop("The request cannot be read")),
    401: ("unauthenticated", gettext_noop("A valid API token is needed")),
    403: ("forbidden", gettext_noop("The token does not allow this")),
    404: ("not_found", gettext_noop("Not found")),
    405: ("method_not_allowed", gettext_noop("Method not allowed")),
    409: ("conflict", gettext_noop("Conflict")),
    413: ("too_large", gettext_noop("The request is too large")),
    422: ("invalid", gettext_noop("The request's values are not valid")),
    429: ("rate_limited", gettext_noop("Too many requests")),
    500: ("server_error", gettext_noop("Internal error")),
}


class ApiProblem(Exception):
    """Raised anywhere in the API: answered as a problem (:func:`problem_response`)."""

    def __init__(
        self,
        status: int,
        detail: Text,
        *,
        code: str | None = None,
        title: Text | None = None,
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        default_code, default_title = STATUS[status]
        self.status = status
        self.code = code or default_code
        self.title = title or Text(default_title)
        self.detail = detail
        self.extra = dict(extra or {})
        self.headers = dict(headers or {})
        super().__init__(status, self.code)


def _language(request: HttpRequest | None) -> str:
    code = getattr(request, "LANGUAGE_CODE", None) or translation.get_language() or "zh-hans"
    return "en" if code.startswith("en") else "zh-hans"


def problem_body(problem: ApiProblem, request: HttpRequest | None) -> dict[str, Any]:
    language = _language(request)
    return {
        "type": TYPE_BASE + problem.code,
        "title": problem.title.render(language),
        "status": problem.status,
        "detail": problem.detail.render(language),
        "code": problem.code,
        "title_zh": problem.title.render("zh-hans"),
        "title_en": problem.title.render("en"),
        "detail_zh": problem.detail.render("zh-hans"),
        "detail_en": problem.detail.render("en"),
        "instance": request.path if request is not None else None,
        **problem.extra,
    }


def problem_response(request: HttpRequest | None, problem: ApiProblem) -> HttpResponse:
    response = HttpResponse(
        json.dumps(problem_body(problem, request), ensure_ascii=False),
        status=problem.status,
        content_type=PROBLEM_TYPE,
    )
    for name, value in problem.headers.items():
        response[name] = value
    response["Content-Language"] = _language(request)
    return response


DETAILS = {
    400: gettext_noop("The request's body or parameters cannot be read."),
    404: gettext_noop("There is nothing at {path} in this version of the API."),
    405: gettext_noop("{method} is not allowed here; allowed: {allowed}."),
    413: gettext_noop("The request's body is larger than this API accepts."),
    500: gettext_noop(
        "The server could not answer this request; it has been logged. Try again later."
    ),
}


def status_problem(request: HttpRequest, status: int, **params: Any) -> ApiProblem:
    """The problem of a bare ``status`` (an unknown path, a refused method, a crash)."""
    return ApiProblem(status, Text(DETAILS.get(status, STATUS[status][1]), params))


def problem_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Wrap a view of the API so that a refused method, a plain error response and any
    uncaught exception are problems too (never Django's HTML page, never a traceback)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            response = view(request, *args, **kwargs)
        except ApiProblem as problem:
            return problem_response(request, problem)
        except Exception:
            logger.exception("API request %s %s failed", request.method, request.path)
            return problem_response(request, status_problem(request, 500))
        if response.status_code == 405 and response.get("Content-Type") != PROBLEM_TYPE:
            allowed = response.get("Allow", "")
            answer = problem_response(
                request,
                status_problem(request, 405, method=request.method, allowed=allowed or "—"),
            )
            answer["Allow"] = allowed
            return answer
        return response

    return wrapped
