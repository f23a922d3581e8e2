"""Cursor pagination: an opaque cursor (the key of the last item given, encoded) and a limit with
a maximum. A list is ordered by a stable key; the next page starts after the cursor's key."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from .errors import ApiProblem, Text

__all__ = ["DEFAULT_LIMIT", "MAX_LIMIT", "page_of_list", "page_of_queryset"]

DEFAULT_LIMIT = 50
MAX_LIMIT = 500

T = TypeVar("T")


def encode(key: Any) -> str:
    raw = json.dumps({"after": key}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _refused(cursor: str) -> ApiProblem:
    return ApiProblem(
        400,
        Text(
            gettext_noop(
                "The cursor '{cursor}' is not one this API gave; pass the next_cursor of the "
                "previous page, or none for the first page."
            ),
            {"cursor": cursor[:40]},
        ),
        code="invalid_cursor",
    )


def decode(cursor: str | None, kind: type) -> Any:
    """The key a cursor holds (of type ``kind``), or None for the first page."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = data["after"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeEncodeError):
        raise _refused(cursor) from None
    if not isinstance(after, kind) or isinstance(after, bool):
        raise _refused(cursor)
    return after


def page_of_queryset(
    queryset: QuerySet[Any], cursor: str | None, limit: int
) -> tuple[list[Any], str | None]:
    """A page of ``queryset`` by primary key after the cursor, and the next cursor."""
    after = decode(cursor, int)
    ordered = queryset.order_by("pk")
    if after is not None:
        ordered = ordered.filter(pk__gt=after)
    items = list(ordered[: limit + 1])
    more = len(items) > limit
    items = items[:limit]
    return items, encode(items[-1].pk) if more and items else None


def page_of_list(
    items: Sequence[T], cursor: str | None, limit: int, key: Callable[[T], str]
) -> tuple[list[T], str | None]:
    """A page of ``items`` ordered by ``key`` (unique, a string) after the cursor."""
    after = decode(cursor, str)
    ordered = sorted(items, key=key)
    if after is not None:
        ordered = [item for item in ordered if key(item) > after]
    page = ordered[: limit + 1]
    more = len(page) > limit
    page = page[:limit]
    return page, encode(key(page[-1])) if more and page else None
