"""The panel's site inspection (现场检查 / 交流访谈, issue 5 §6): findings and photos per item."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.review.models.panels import Panel

__all__ = [
    "FindingOutcome",
    "Inspection",
    "InspectionFinding",
    "InspectionPhoto",
    "inspection_photo_path",
]


# The panel's visit to one application: findings and photos per item whose evaluation method
# (附件4 评价方法) includes 现场检查 or 交流访谈. They are the panel's evidence, shown to the
# panel's experts beside the item; the applicant's frozen submission never changes.


class Inspection(models.Model):
    """The panel's site inspection of one application (one per panel and application)."""

    panel = models.ForeignKey(
        Panel, on_delete=models.PROTECT, related_name="inspections", verbose_name=_("panel")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="+", verbose_name=_("application")
    )
    # The submission the panel scores: the inspection checks what it claims.
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, related_name="+", verbose_name=_("submission")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site inspection")
        verbose_name_plural = _("site inspections")
        constraints = [
            models.UniqueConstraint(
                fields=["panel", "application"], name="inspection_unique_panel_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.panel} · {self.application}"


class FindingOutcome(models.TextChoices):
    CONFIRMED = "confirmed", _("as the submission describes")
    PARTLY = "partly", _("partly as described")
    NOT_FOUND = "not_found", _("not as described")
    NOT_CHECKED = "not_checked", _("could not be checked")


class InspectionFinding(models.Model):
    """What the panel found on site for one item; changed with a version check, every change
    audited."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="findings",
        verbose_name=_("site inspection"),
    )
    item_id = models.CharField(_("item"), max_length=20)
    outcome = models.CharField(
        _("result of the check"), max_length=20, choices=FindingOutcome.choices, blank=True
    )
    text = models.TextField(_("findings"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now=True)

    class Meta:
        ordering = ["inspection", "pk"]
        verbose_name = _("inspection finding")
        verbose_name_plural = _("inspection findings")
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "item_id"], name="inspection_finding_unique_item"
            )
        ]


def inspection_photo_path(instance: InspectionPhoto, filename: str) -> str:
    # Stored under the content hash: the name a phone gave never reaches the file system.
    extension = "png" if instance.content_kind == "png" else "jpg"
    return f"inspection/{instance.inspection.application_id}/{instance.sha256}.{extension}"


class InspectionPhoto(models.Model):
    """A photo taken on site for one item (JPEG or PNG, checked by content)."""

    inspection = models.ForeignKey(
        Inspection,
        on_delete=models.PROTECT,
        related_name="photos",
        verbose_name=_("site inspection"),
    )
    item_id = models.CharField(_("item"), max_length=20)
    file = models.FileField(_("file"), upload_to=inspection_photo_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("file type"), max_length=10)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    width = models.PositiveIntegerField(_("width (pixels)"))
    height = models.PositiveIntegerField(_("height (pixels)"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Removing a photo keeps the row and the file for the audit trail.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["inspection", "item_id", "pk"]
        verbose_name = _("inspection photo")
        verbose_name_plural = _("inspection photos")
