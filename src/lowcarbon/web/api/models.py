"""API tokens (shown once, stored as a SHA-256 hash) and the reading batches gateways push."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation

__all__ = ["ApiToken", "ReadingBatch"]


class ApiToken(models.Model):
    """A token of an organisation with scopes (:mod:`.scopes`). The secret is shown once, when
    the token is created; only its prefix (to find it) and the SHA-256 of the whole token are
    kept."""

    name = models.CharField(_("name"), max_length=100)
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="api_tokens",
        verbose_name=_("organisation"),
    )
    scopes = models.JSONField(_("scopes"), default=list)
    prefix = models.CharField(_("prefix"), max_length=16, unique=True)
    secret_hash = models.CharField(_("hash of the secret"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoke_reason = models.TextField(_("reason for revoking"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"


class ReadingBatch(models.Model):
    """One reading batch a gateway pushed: the store's import it became and its validation
    report, so that the same ``batch_id`` again answers the first result."""

    unit = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit")
    )
    batch_id = models.CharField(_("batch id"), max_length=100)
    digest = models.CharField(_("content digest"), max_length=64)
    token = models.ForeignKey(
        ApiToken, on_delete=models.PROTECT, related_name="batches", verbose_name=_("token")
    )
    import_id = models.CharField(_("import id"), max_length=64)
    received_at = models.DateTimeField(_("received at"))
    report = models.JSONField(_("validation report"), default=dict)

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = _("reading batch")
        verbose_name_plural = _("reading batches")
        constraints = [
            models.UniqueConstraint(fields=["unit", "batch_id"], name="api_batch_unique_per_unit")
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.batch_id}"
