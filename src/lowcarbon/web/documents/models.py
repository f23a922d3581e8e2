"""Generated documents (issue 6) and the Word templates an administrator put in place.

A :class:`GeneratedDocument` is one generation job and its files: the implementation plan as
DOCX and, from the same job, its PDF (or the reason there is none); the task list (任务清单) as
XLSX and DOCX with the DOCX's PDF; or the annual work plan (年度工作计划) of one year as DOCX,
its PDF and XLSX. It records the snapshot it
was made from (a submission's frozen snapshot, or the draft's as it stood when the job ran) by
SHA-256, so an old document can always be made again from the same data and a document whose
draft has changed since is recognisable as stale.

A :class:`DocumentTemplate` replaces the bundled Word template for one outline edition (kind +
edition). Only one is in use per edition; going back to the bundled default retires it. Retired
templates stay, because documents made with them name them.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.rounds.models import Kind

__all__ = [
    "WITH_XLSX",
    "YEAR_MAX",
    "YEAR_MIN",
    "DocumentKind",
    "DocumentStatus",
    "DocumentTemplate",
    "GeneratedDocument",
    "Step",
    "silence_allowed",
]


class DocumentKind(models.TextChoices):
    # Each kind's files are one job: the PDF is converted from that very DOCX, and the
    # spreadsheet is written from the same snapshot.
    PLAN = "plan", _("implementation plan")
    TASK_LIST = "task_list", _("task list")
    WORK_PLAN = "work_plan", _("annual work plan")


#: The kinds written as a spreadsheet too (the plan is a Word document only).
WITH_XLSX = frozenset({DocumentKind.TASK_LIST, DocumentKind.WORK_PLAN})

#: The years a work plan may be asked for: wide enough for any programme (the forecast itself
#: runs from the base year to the last target year; outside it the document says so).
YEAR_MIN = 2000
YEAR_MAX = 2100


class DocumentStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("in progress")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class Step(models.TextChoices):
    """What a running job is doing, shown beside its progress."""

    WAITING = "waiting", _("waiting for the background worker")
    SNAPSHOT = "snapshot", _("freezing the application's data")
    READING = "reading", _("checking the snapshot and its editions")
    XLSX = "xlsx", _("writing the spreadsheet")
    DOCX = "docx", _("writing the Word document")
    PDF = "pdf", _("converting to PDF")
    FINISHED = "finished", _("finished")


def silence_allowed(status: str) -> timedelta | None:
    """How long a job in ``status`` may go without a sign of life before it counts as
    interrupted; ``None`` for a finished job. A running job beats at every step and every few
    seconds while it waits (LOWCARBON_DOCUMENT_JOB_STALE_SECONDS); a queued one waits for the
    worker, which may be busy with other jobs (LOWCARBON_DOCUMENT_QUEUE_STALE_SECONDS)."""
    if status == DocumentStatus.RUNNING:
        return timedelta(seconds=settings.LOWCARBON_DOCUMENT_JOB_STALE_SECONDS)
    if status == DocumentStatus.QUEUED:
        return timedelta(seconds=settings.LOWCARBON_DOCUMENT_QUEUE_STALE_SECONDS)
    return None


def template_path(instance: DocumentTemplate, filename: str) -> str:
    # Under the content hash: the name an administrator gave never reaches the file system.
    return f"document-templates/{instance.kind}/{instance.edition}/{instance.sha256}.docx"


class DocumentTemplate(models.Model):
    """A Word template uploaded for one outline edition, replacing the bundled default."""

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    edition = models.CharField(_("plan outline edition"), max_length=20)
    file = models.FileField(_("file"), upload_to=template_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    # Replaced by another upload or by going back to the bundled default.
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["kind", "edition", "-uploaded_at"]
        verbose_name = _("document template")
        verbose_name_plural = _("document templates")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "edition"],
                condition=models.Q(retired_at__isnull=True),
                name="document_template_one_in_use_per_edition",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.edition} · {self.original_name}"


def document_path(instance: GeneratedDocument, filename: str) -> str:
    return f"documents/{instance.application_id}/{instance.pk}/{filename}"


class GeneratedDocument(models.Model):
    application = models.ForeignKey(
        Application,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=_("application"),
    )
    kind = models.CharField(
        _("document"), max_length=20, choices=DocumentKind.choices, default=DocumentKind.PLAN
    )
    # The year of an annual work plan; None for the other kinds.
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # None: made from the draft as it stood when the job ran.
    submission = models.ForeignKey(
        Submission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("submission"),
    )
    # Of the snapshot the files were made from; filled in when the job has frozen it.
    snapshot_sha256 = models.CharField(_("snapshot SHA-256"), max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    step = models.CharField(_("step"), max_length=20, choices=Step.choices, default=Step.WAITING)
    docx = models.FileField(_("Word file"), upload_to=document_path, max_length=300, blank=True)
    pdf = models.FileField(_("PDF file"), upload_to=document_path, max_length=300, blank=True)
    xlsx = models.FileField(
        _("spreadsheet file"), upload_to=document_path, max_length=300, blank=True
    )
    # Why there is no PDF (the converter is missing or failed); the DOCX is still offered.
    pdf_error = models.TextField(_("why there is no PDF"), blank=True)
    # Why the job failed (nothing was made).
    error = models.TextField(_("error"), blank=True)
    # What is missing in the plan and shown in it as placeholders (for the task list and the
    # work plan: what the reader should check, such as a year outside the forecast).
    warnings = models.JSONField(_("warnings"), default=list, blank=True)
    # None: the bundled default template.
    template = models.ForeignKey(
        DocumentTemplate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("template"),
    )
    template_sha256 = models.CharField(_("template SHA-256"), max_length=64, blank=True)
    task_id = models.CharField(_("task id"), max_length=64, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The job's last sign of life: set when it is queued, claimed and at every step, and every
    # few seconds while it waits for the PDF converter. A running job silent for longer than
    # LOWCARBON_DOCUMENT_JOB_STALE_SECONDS was stopped (a crash, kill -9, a restart) and is
    # marked failed, so that the document can be asked for again.
    heartbeat_at = models.DateTimeField(_("last sign of life"), default=timezone.now)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        constraints = [
            # A work plan is of one year; the other documents have none.
            models.CheckConstraint(
                condition=(
                    # year IS NOT NULL: a CHECK passes when it is unknown (NULL >= 2000).
                    models.Q(
                        kind=DocumentKind.WORK_PLAN,
                        year__isnull=False,
                        year__gte=YEAR_MIN,
                        year__lte=YEAR_MAX,
                    )
                    | (~models.Q(kind=DocumentKind.WORK_PLAN) & models.Q(year__isnull=True))
                ),
                name="generated_document_year_of_work_plans_only",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application} · {self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.status in {DocumentStatus.QUEUED, DocumentStatus.RUNNING}

    def is_interrupted(self, now: datetime) -> bool:
        """Queued or running in the database, but silent for longer than its state allows:
        the worker that had it is gone (:func:`silence_allowed`)."""
        allowed = silence_allowed(self.status)
        return allowed is not None and now - self.heartbeat_at > allowed

    @property
    def has_xlsx(self) -> bool:
        return self.kind in WITH_XLSX

    @property
    def source_number(self) -> int | None:
        return None if self.submission is None else self.submission.number
