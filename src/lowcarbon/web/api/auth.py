"""Bearer tokens (``Authorization: Bearer <token>``), the principal a request acts as, and the
rate limit per token (per address for requests without one).

A token reads ``lct_<prefix>_<secret>``: the prefix finds its row, the SHA-256 of the whole
token must equal the stored hash (compared in constant time). An expired or revoked token is
refused (401) like an unknown one. ``last_used_at`` is written at most once a minute.

The rate limit is a fixed window in Django's cache: ``LOWCARBON_API_RATE_LIMIT`` requests (120)
per ``LOWCARBON_API_RATE_WINDOW`` seconds (60) for each token; beyond it, 429 with
``Retry-After``. Requests without a token, and refused tokens, count per client address.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_noop
from ninja.security import HttpBearer

from lowcarbon.web.audit.middleware import client_ip

from .errors import ApiProblem, Text
from .models import ApiToken
from .scopes import Scope, viewer_of

__all__ = [
    "TOKEN_PREFIX",
    "Principal",
    "TokenAuth",
    "check_rate",
    "hash_token",
    "new_token",
    "principal_of",
]

TOKEN_PREFIX = "lct"
LAST_USED_EVERY = timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> tuple[str, str, str]:
    """A new token: (the whole token shown once, its prefix, the hash kept)."""
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    return token, prefix, hash_token(token)


@dataclass(frozen=True)
class Principal:
    """Who a request acts as: a token (with the viewer the web's permissions ask about), or the
    public."""

    token: ApiToken | None
    viewer: Any

    def has(self, scope: Scope) -> bool:
        return self.token is not None and scope.value in self.token.scopes

    @property
    def organisation_id(self) -> int | None:
        return self.token.organisation_id if self.token is not None else None


def _unauthenticated(detail: str, **params: Any) -> ApiProblem:
    return ApiProblem(
        401,
        Text(detail, params),
        headers={"WWW-Authenticate": 'Bearer realm="lowcarbon"'},
    )


def find_token(raw: str, now: datetime) -> ApiToken:
    """The live token ``raw`` names, or a 401 problem saying why not."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or not parts[1] or not parts[2]:
        raise _unauthenticated(
            gettext_noop(
                "The token is not in the form lct_<prefix>_<secret> that this platform gives."
            )
        )
    token = ApiToken.objects.select_related("organisation").filter(prefix=parts[1]).first()
    if token is None or not hmac.compare_digest(token.secret_hash, hash_token(raw)):
        raise _unauthenticated(
            gettext_noop("The token is unknown: it was never given or is wrong.")
        )
    if token.revoked_at is not None:
        raise _unauthenticated(
            gettext_noop("The token {prefix} was revoked on {date}."),
            prefix=token.prefix,
            date=timezone.localtime(token.revoked_at).strftime("%Y-%m-%d %H:%M"),
        )
    if token.expires_at <= now:
        raise _unauthenticated(
            gettext_noop("The token {prefix} expired on {date}."),
            prefix=token.prefix,
            date=timezone.localtime(token.expires_at).strftime("%Y-%m-%d %H:%M"),
        )
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def check_rate(identity: str) -> None:
    """Count one request of ``identity`` in the current window; 429 beyond the limit."""
    limit = int(getattr(settings, "LOWCARBON_API_RATE_LIMIT", 120))
    window = int(getattr(settings, "LOWCARBON_API_RATE_WINDOW", 60))
    moment = time.time()
    start = int(moment // window) * window
    key = f"lowcarbon-api-rate:{identity}:{start}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr: this request opens the window
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        wait = max(1, math.ceil(start + window - moment))
        raise ApiProblem(
            429,
            Text(
                gettext_noop(
                    "At most {limit} requests per {window} seconds; try again in {wait} seconds."
                ),
                {"limit": limit, "window": window, "wait": wait},
            ),
            headers={"Retry-After": str(wait)},
        )


def principal_of(request: HttpRequest, *, required: bool) -> Principal:
    """The principal of ``request`` (rate-counted). Without an Authorization header: the public,
    or 401 when a token is ``required``."""
    header = request.headers.get("Authorization", "")
    if not header:
        if required:
            raise _unauthenticated(
                gettext_noop("Send the token as the header Authorization: Bearer <token>.")
            )
        check_rate(f"ip:{client_ip(request) or '-'}")
        return Principal(None, AnonymousUser())
    scheme, _, raw = header.partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        raise _unauthenticated(
            gettext_noop("Send the token as the header Authorization: Bearer <token>.")
        )
    try:
        token = find_token(raw.strip(), timezone.now())
    except ApiProblem:
        # Refused tokens count against the address: guessing is rate limited too.
        check_rate(f"refused:{client_ip(request) or '-'}")
        raise
    check_rate(f"token:{token.pk}")
    return Principal(token, viewer_of(token.scopes, token.organisation, f"api:{token.prefix}"))


class TokenAuth(HttpBearer):
    """Operations that need a token (OpenAPI: the bearer scheme)."""

    def __call__(self, request: HttpRequest) -> Principal:
        principal = principal_of(request, required=True)
        request.api_principal = principal  # type: ignore[attr-defined]
        return principal

    def authenticate(self, request: HttpRequest, token: str) -> Principal:  # pragma: no cover
        return self(request)
