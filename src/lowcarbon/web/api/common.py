"""What every operation shares: the principal, the scope check, the period filter, the error
answers documented for token operations."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_noop

from lowcarbon.web import permissions

from .auth import Principal
from .errors import ApiProblem, Text
from .schemas import Problem
from .scopes import Scope

__all__ = [
    "PERIOD",
    "PUBLIC_ERRORS",
    "READ_SCOPES",
    "TOKEN_ERRORS",
    "period_of",
    "principal",
    "require",
]

PERIOD = r"^\d{4}(-(0[1-9]|1[0-2]))?$"
READ_SCOPES = (Scope.READ_UNIT, Scope.READ_DISTRICT, Scope.READ_CITY)
TOKEN_ERRORS = {401: Problem, 403: Problem, 422: Problem, 429: Problem}
PUBLIC_ERRORS = {401: Problem, 422: Problem, 429: Problem}


def principal(request: HttpRequest) -> Principal:
    found: Principal = request.auth  # type: ignore[attr-defined]
    return found


def require(request: HttpRequest, *scopes: Scope) -> Principal:
    """The request's principal if its token has one of ``scopes``; 403 naming them otherwise."""
    who = principal(request)
    if not any(who.has(scope) for scope in scopes):
        permissions.log_denied(request, f"API {request.path} without scope")
        raise ApiProblem(
            403,
            Text(
                gettext_noop("This needs a token with one of the scopes: {scopes}."),
                {"scopes": ", ".join(scope.value for scope in scopes)},
            ),
            code="scope_missing",
        )
    return who


def period_of(period: str | None) -> tuple[int, int | None] | None:
    if not period:
        return None
    year, _, month = period.partition("-")
    return int(year), int(month) if month else None
