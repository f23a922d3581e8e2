"""Login throttling: after LOGIN_FAILURE_LIMIT failures for one user name from one IP address
within LOGIN_FAILURE_WINDOW seconds, further attempts are refused, even with the right password.

Counts live in the default cache; a deployment with several processes needs a shared cache
(database or Redis) for the limit to hold across them.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

__all__ = ["clear_failures", "is_locked", "record_failure"]


def _key(username: str, ip: str | None) -> str:
    digest = hashlib.sha256(f"{username.strip().lower()}\0{ip or ''}".encode()).hexdigest()
    return f"login-failures:{digest}"


def is_locked(username: str, ip: str | None) -> bool:
    return int(cache.get(_key(username, ip), 0)) >= settings.LOGIN_FAILURE_LIMIT


def record_failure(username: str, ip: str | None) -> None:
    key = _key(username, ip)
    # The window starts at the first failure and is not extended by later ones.
    cache.add(key, 0, timeout=settings.LOGIN_FAILURE_WINDOW)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=settings.LOGIN_FAILURE_WINDOW)


def clear_failures(username: str, ip: str | None) -> None:
    cache.delete(_key(username, ip))
