"""Organisations: the municipal bureau, the 16 district bureaus, streets/towns, applicant units."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["District", "Organisation", "OrganisationKind"]


class District(models.Model):
    """One of Shanghai's 16 districts, keyed by its GB/T 2260 administrative code."""

    code = models.CharField(_("code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=50, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")

    def __str__(self) -> str:
        return self.name


class OrganisationKind(models.TextChoices):
    MUNICIPAL_BUREAU = "municipal_bureau", _("municipal bureau")
    DISTRICT_BUREAU = "district_bureau", _("district bureau")
    STREET_TOWN = "street_town", _("street or town")
    APPLICANT_UNIT = "applicant_unit", _("applicant unit")


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent"),
    )
    district = models.ForeignKey(
        District,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
        verbose_name=_("district"),
    )

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="organisation_unique_kind_name")
        ]

    def __str__(self) -> str:
        return self.name
