"""A creation unit's records archive (档案, issue 15 §7): the proof the evaluations take.

* :class:`ArchiveRecord`: one record of a category (``data/creation/archive_categories.yaml``),
  with its date, description and the indicator items it supports; an activity (training,
  market, 光盘 pledge …) adds place, organiser and attendance; a 低碳志愿者 inspection adds who
  inspected and the findings, and its report can be published to residents. A removed record
  is kept (``removed_at``, with the reason), never lost.
* :class:`ArchiveFile`: a file of a record (a document, a photo or an attendance list), checked
  by content and stored under its hash.
* :class:`Citation`: something frozen (a rectification answer, later a filing or an evaluation)
  that cites a record; a cited record cannot be changed or removed.
* :class:`VolunteerMember`: a member of the unit's 低碳志愿者 team; the contact is seen only by
  the unit, its district and the bureau.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.creation.models import CreationUnit

__all__ = [
    "ArchiveFile",
    "ArchiveRecord",
    "Citation",
    "FileRole",
    "VolunteerMember",
    "archive_path",
]


class ArchiveRecord(models.Model):
    unit = models.ForeignKey(
        CreationUnit,
        on_delete=models.PROTECT,
        related_name="archive_records",
        verbose_name=_("unit"),
    )
    category = models.CharField(_("category"), max_length=40)
    title = models.CharField(_("title"), max_length=200)
    date = models.DateField(_("date"))
    description = models.TextField(_("description"), blank=True)
    # Rubric item ids of the unit's kind ("3", "6"; "5.2" for zones).
    items = models.JSONField(_("indicator items"), default=list)
    # Activities.
    place = models.CharField(_("place"), max_length=200, blank=True)
    organiser = models.CharField(_("organiser"), max_length=200, blank=True)
    attendance = models.PositiveIntegerField(_("attendance"), null=True, blank=True)
    # Volunteer inspections.
    inspectors = models.CharField(_("inspected by"), max_length=300, blank=True)
    findings = models.TextField(_("findings"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"))
    updated_at = models.DateTimeField(_("updated at"))
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    removal_reason = models.TextField(_("reason for removal"), blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        ordering = ["unit", "-date", "-id"]
        verbose_name = _("archive record")
        verbose_name_plural = _("archive records")

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"


class FileRole(models.TextChoices):
    DOCUMENT = "document", _("document")
    PHOTO = "photo", _("photo")
    ATTENDANCE = "attendance", _("attendance list")


def archive_path(instance: ArchiveFile, filename: str) -> str:
    # Stored under the content hash: the name a user gave never reaches the file system.
    return f"archive/{instance.unit_id}/{instance.sha256}"


class ArchiveFile(models.Model):
    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="files", verbose_name=_("record")
    )
    unit = models.ForeignKey(CreationUnit, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(
        _("kind of file"), max_length=20, choices=FileRole.choices, default=FileRole.DOCUMENT
    )
    file = models.FileField(_("file"), upload_to=archive_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    content_kind = models.CharField(_("file type"), max_length=20)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"))

    class Meta:
        ordering = ["record", "role", "id"]
        verbose_name = _("archive file")
        verbose_name_plural = _("archive files")


class Citation(models.Model):
    """``source_key`` names the citing thing (``rectification:12:3:1``), ``source_label`` says it
    in words for the refusal to delete (整改通知 2026-03-01 第3项 第1轮答复)."""

    record = models.ForeignKey(
        ArchiveRecord, on_delete=models.PROTECT, related_name="citations", verbose_name=_("record")
    )
    source_key = models.CharField(_("cited by (key)"), max_length=200)
    source_label = models.CharField(_("cited by"), max_length=300)
    cited_at = models.DateTimeField(_("cited at"))

    class Meta:
        ordering = ["record", "cited_at", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "source_key"], name="archive_citation_unique_source"
            )
        ]


class VolunteerMember(models.Model):
    unit = models.ForeignKey(
        CreationUnit,
        on_delete=models.PROTECT,
        related_name="volunteers",
        verbose_name=_("unit"),
    )
    name = models.CharField(_("name"), max_length=100)
    contact = models.CharField(_("contact"), max_length=100, blank=True)
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))

    class Meta:
        ordering = ["unit", "joined_on", "id"]
        verbose_name = _("volunteer")
        verbose_name_plural = _("volunteers")

    def __str__(self) -> str:
        return self.name
