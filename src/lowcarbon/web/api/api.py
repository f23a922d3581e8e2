"""The NinjaAPI of ``/api/v1/``: its routers, its problem responses and its OpenAPI 3.1 document
(error answers documented as application/problem+json)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, re_path
from django.utils.translation import gettext_noop
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.openapi.docs import Swagger

from .errors import ApiProblem, Text, problem_response, problem_view, status_problem

__all__ = ["api", "api_urls"]

DESCRIPTION = """The public API of the Shanghai low-carbon demonstration platform.

Tokens are created in the web (/api-tokens/) and sent as `Authorization: Bearer <token>`.
Errors are `application/problem+json` with a stable `code` and messages in Chinese and English.
Times are ISO 8601 with the +08:00 offset; decimals are strings; lists are paged by an opaque
cursor. See docs/api.md."""

#: Every error answer an operation may give (schemathesis checks the statuses and the shapes).
ERROR_STATUSES = ("400", "401", "403", "404", "409", "413", "422", "429")


class _Docs(Swagger):
    """Swagger UI from the package's static files, in a page of this platform without an inline
    script (the Content-Security-Policy allows scripts from this site only)."""

    template = "api/docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        # The settings go to the page through Django's json_script (escaped for HTML), not as
        # a <script> written in the template.
        settings = dict(self.settings, url=self.get_openapi_url(api, kwargs))
        return render(request, self.template, {"swagger_config": settings, "api": api})


class PlatformApi(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(*args, **kwargs)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                for status, answer in operation.get("responses", {}).items():
                    content = answer.get("content", {})
                    if str(status) in ERROR_STATUSES and "application/json" in content:
                        shape = content["application/json"]
                        answer["content"] = {"application/problem+json": shape}
        return schema


api = PlatformApi(
    title="Lowcarbon platform API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=_Docs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


@api.exception_handler(ApiProblem)
def _problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
    return problem_response(request, exc)


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())),
            "type": str(error.get("type", "")),
            "message": str(error.get("msg", "")),
        }
        for error in exc.errors
    ]
    fields = "、".join(dict.fromkeys(e["field"] for e in errors)) or "—"
    return problem_response(
        request,
        ApiProblem(
            422,
            Text(gettext_noop("These values are not valid: {fields}."), {"fields": fields}),
            extra={"errors": errors},
        ),
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(
        request,
        ApiProblem(
            401,
            Text(gettext_noop("Send the token as the header Authorization: Bearer <token>.")),
            headers={"WWW-Authenticate": 'Bearer realm="lowcarbon"'},
        ),
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    status = exc.status_code if exc.status_code in (400, 401, 403, 404, 405, 413, 429) else 400
    return problem_response(request, status_problem(request, status, path=request.path))


@api.exception_handler(RequestDataTooBig)
def _too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    return problem_response(request, status_problem(request, 413))


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return problem_response(
        request,
        ApiProblem(
            404, Text(gettext_noop("There is no such object, or this token may not see it."))
        ),
    )


@api.exception_handler(Exception)
def _crash(request: HttpRequest, exc: Exception) -> HttpResponse:
    import logging

    logging.getLogger("lowcarbon.web.api").error(
        "API request %s %s failed", request.method, request.path, exc_info=exc
    )
    return problem_response(request, status_problem(request, 500))


def _unknown(request: HttpRequest, rest: str = "") -> HttpResponse:
    return problem_response(request, status_problem(request, 404, path=request.path))


def _register_routers() -> None:
    from . import routes  # noqa: F401 - the operations register themselves on ``api``


def api_urls() -> tuple[list[Any], str, str]:
    """``api.urls`` with every view answering problems, and a problem for unknown paths."""
    _register_routers()
    patterns, app_name, namespace = api.urls
    wrapped: list[Any] = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = problem_view(pattern.callback)
        wrapped.append(pattern)
    wrapped.append(re_path(r"^(?P<rest>.*)$", problem_view(_unknown)))
    return wrapped, app_name, namespace
