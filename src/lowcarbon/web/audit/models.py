"""The audit log: append-only. A row, once written, is never changed or removed, and every row
is chained to the one before it by hashes (:mod:`lowcarbon.web.audit.chain`)."""

from __future__ import annotations

from typing import Any, NoReturn

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.audit.chain import seal

__all__ = ["AuditEvent", "ImmutableAuditEventError"]


class ImmutableAuditEventError(Exception):
    """Raised on any attempt to change or delete an audit event."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEventError("audit events are append-only: update is refused")

    def delete(self) -> NoReturn:
        raise ImmutableAuditEventError("audit events are append-only: delete is refused")

    def bulk_create(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEventError(
            "audit events are chained one by one: bulk_create is refused"
        )


class AuditEvent(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("actor"),
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    object_type = models.CharField(_("object type"), max_length=100)
    object_id = models.CharField(_("object id"), max_length=64)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    # Set when the event is chained (chain.seal), to the millisecond, never before the time of
    # the event before it.
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    # The hash of the event before this one (chain.GENESIS for the first), and this event's
    # own: SHA-256 of its content and previous_hash (chain.event_hash).
    previous_hash = models.CharField(_("previous hash"), max_length=64, editable=False)
    hash = models.CharField(_("hash"), max_length=64, editable=False)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            # One event follows each: two actions can never chain to the same event.
            models.UniqueConstraint(fields=["previous_hash"], name="audit_event_one_successor")
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableAuditEventError(f"audit event {self.pk} is append-only")
        using = kwargs.get("using") or type(self).objects.db
        with transaction.atomic(using=using):
            seal(self, using)
            super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise ImmutableAuditEventError(f"audit event {self.pk} is append-only")
