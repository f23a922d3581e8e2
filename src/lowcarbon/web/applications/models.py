"""An application (申报) of one applicant unit to one round, for one kind of demonstration."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.organisations.models import Organisation
from lowcarbon.web.rounds.models import Kind, Round

__all__ = ["Application", "ApplicationStatus"]


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("draft")


class Application(models.Model):
    round = models.ForeignKey(
        Round, on_delete=models.PROTECT, related_name="applications", verbose_name=_("round")
    )
    unit = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("applicant unit"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Applications keep the editions they were created under, even if the round changes later.
    rubric_edition = models.CharField(_("rubric edition"), max_length=20)
    outline_edition = models.CharField(_("plan outline edition"), max_length=20)
    factor_set_id = models.CharField(_("factor set"), max_length=100)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    # element id (of the outline) -> value
    sections = models.JSONField(_("plan contents"), default=dict, blank=True)
    # Optimistic concurrency: every save names the version it started from.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-round__year", "unit__name", "kind"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "unit", "kind"], name="application_unique_round_unit_kind"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.round} · {self.get_kind_display()}"
