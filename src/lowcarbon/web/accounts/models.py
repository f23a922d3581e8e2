"""People who sign in, each with one role and (usually) one organisation."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Role", "User"]


class Role(models.TextChoices):
    APPLICANT = "applicant", _("applicant")
    DISTRICT_OFFICER = "district_officer", _("district officer")
    EXPERT = "expert", _("expert")
    ADMINISTRATOR = "administrator", _("administrator")
    # A resident of a community: sees their own household's ledger and nothing else.
    RESIDENT = "resident", _("resident")


class User(AbstractUser):
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("organisation"),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
