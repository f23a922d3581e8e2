"""``record_event``: every action calls it inside its own transaction."""

from __future__ import annotations

from collections.abc import Iterable
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db import models, transaction

from lowcarbon.web.audit.models import AuditEvent

__all__ = ["NotInTransactionError", "current_ip", "record_event", "snapshot"]

# Set per request by AuditContextMiddleware, so actions need not thread the request through.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


class NotInTransactionError(RuntimeError):
    """An event was recorded outside the action's transaction: it could outlive a rollback."""


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The named fields of ``instance`` as JSON-ready values, for ``before`` and ``after``."""
    return {name: _plain(getattr(instance, name)) for name in fields}


def record_event(
    *,
    actor: Any,
    action: str,
    target: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    if not transaction.get_connection().in_atomic_block:
        raise NotInTransactionError(
            f"record_event({action!r}) must run inside the action's atomic block"
        )
    return AuditEvent.objects.create(
        actor=actor,
        actor_label=actor.get_username() if actor is not None else "system",
        action=action,
        object_type=target._meta.label,
        object_id=str(target.pk),
        before=before,
        after=after,
        reason=reason,
        ip_address=current_ip.get(),
    )
