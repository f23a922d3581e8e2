"""The background job that makes a document: snapshot → exported file → DOCX → PDF.

It follows the command line's path (``lowcarbon documents plan``) step by step, so a document
made here is the document the command line makes from the same snapshot: the snapshot (the
submission's frozen one, or the draft's built now like a submission's) is written to a JSON
file, read back with :func:`lowcarbon.rules.application_file.load_application_file` (which
checks that the bundled editions have the recorded content), turned into the plan's input by
:func:`lowcarbon.documents.plan.plan_input_from_file`, written with
:func:`~lowcarbon.documents.plan.write_plan`, then converted by LibreOffice. A failed conversion
keeps the DOCX and records why there is no PDF (issue 6: "a conversion failure leaves the DOCX
available and says why the PDF is missing").

The task list (任务清单) and the annual work plan (年度工作计划) follow the command line's
``task-list`` and ``work-plan`` the same way: from the same plan input (without charts, which
they do not show), :func:`~lowcarbon.documents.task_list.write_task_list` and
:func:`~lowcarbon.documents.work_plan.write_work_plan` write the spreadsheet and the Word file
(in the edition's Word template, as the plan: their template fields are the plan's), and the
Word file is converted to PDF. A failed conversion keeps the DOCX and the XLSX.

Each step writes its progress at once (outside any long transaction) so the page polling the
job sees it move. Texts stored with the job (warnings, errors) are in Chinese, the working
language, whoever asked.
"""

from __future__ import annotations

import logging
import tempfile
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.documents.pdf import PdfConversionError, convert_to_pdf
from lowcarbon.documents.plan import PlanInput, plan_input_from_file, write_plan
from lowcarbon.documents.task_list import write_task_list
from lowcarbon.documents.work_plan import write_work_plan
from lowcarbon.rules.application_file import load_application_file
from lowcarbon.rules.snapshot import Snapshot, canonical_json, snapshot_sha256
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.applications.submission import draft_snapshot, frozen_snapshot
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.documents.models import DocumentKind, DocumentStatus, GeneratedDocument, Step
from lowcarbon.web.documents.templates_in_use import active_template, template_file

__all__ = ["generate_document", "run_generation"]

logger = logging.getLogger("lowcarbon.web.documents")

GENERATED = "document_generated"
FAILED = "document_failed"


class _Stop(Exception):
    """The job cannot go on; ``reason`` is recorded as the document's error."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _Abandoned(Exception):
    """The job is no longer running in the database: it was marked interrupted after a silence
    (and may have been asked for again). This worker stops without touching it."""


def _update(document: GeneratedDocument, **fields: Any) -> None:
    """Store ``fields`` with a new sign of life, as long as the job is still running."""
    updated = GeneratedDocument.objects.filter(
        pk=document.pk, status=DocumentStatus.RUNNING
    ).update(heartbeat_at=timezone.now(), **fields)
    if not updated:
        raise _Abandoned


def _progress(document: GeneratedDocument, progress: int, step: str, **fields: Any) -> None:
    _update(document, progress=progress, step=step, **fields)


def _beat(document: GeneratedDocument) -> None:
    """A sign of life while a long step waits (the PDF conversion). A busy database only skips
    one beat; a job that is no longer running stops the wait."""
    try:
        _update(document)
    except DatabaseError:
        logger.warning("document %s: sign of life not stored (database busy)", document.pk)


def _snapshot(document: GeneratedDocument) -> Snapshot:
    if document.submission is None:
        return draft_snapshot(document.application)
    submission = document.submission
    if snapshot_sha256(submission.snapshot) != submission.snapshot_sha256:
        # A frozen snapshot that no longer has its recorded hash must not be made into a
        # document that claims to be the submission.
        raise _Stop(
            _(
                "Submission {number}'s stored snapshot no longer has its recorded SHA-256; no "
                "document was made. Tell the administrator."
            ).format(number=submission.number)
        )
    return frozen_snapshot(submission)


def _write(
    document: GeneratedDocument, plan: PlanInput, out: Path, template: Path | None
) -> tuple[str, ...]:
    """Write the document's file ``out`` (its kind told by the extension); its warnings."""
    if document.kind == DocumentKind.TASK_LIST:
        return write_task_list(plan, out, _, template=template).warnings
    if document.kind == DocumentKind.WORK_PLAN:
        assert document.year is not None  # a constraint of the model
        return write_work_plan(plan, document.year, out, _, template=template).warnings
    return write_plan(plan, out, _, local, template=template).warnings


def _stem(document: GeneratedDocument) -> str:
    if document.kind == DocumentKind.WORK_PLAN:
        return f"work-plan-{document.year}-{document.pk}"
    if document.kind == DocumentKind.TASK_LIST:
        return f"task-list-{document.pk}"
    return f"plan-{document.pk}"


def _make(document: GeneratedDocument, folder: Path) -> None:
    data = _snapshot(document)
    digest = snapshot_sha256(data)
    _progress(document, 15, Step.READING, snapshot_sha256=digest)
    path = folder / "snapshot.json"
    path.write_text(canonical_json(data), encoding="utf-8")
    try:
        exported = load_application_file(path)
    except LowcarbonError as error:
        raise _Stop(
            _("The application's data cannot be made into a document: {problem}").format(
                problem=error.message.render(_).replace(str(path), _("snapshot"))
            )
        ) from error
    # The task list and the work plan show no chart: drawing them would only cost time.
    plan = plan_input_from_file(exported, local, draw_charts=document.kind == DocumentKind.PLAN)
    edition = data.editions.outline.edition
    template = active_template(exported.kind, edition)
    stem = _stem(document)
    warnings: tuple[str, ...] = ()
    if document.has_xlsx:
        _progress(document, 25, Step.XLSX)
        xlsx = folder / f"{stem}.xlsx"
        try:
            warnings = _write(document, plan, xlsx, None)
        except LowcarbonError as error:
            raise _Stop(
                _("The spreadsheet could not be written: {problem}").format(
                    problem=error.message.render(_)
                )
            ) from error
        with xlsx.open("rb") as handle:
            document.xlsx.save(xlsx.name, File(handle), save=False)
        _update(document, xlsx=document.xlsx.name)
    _progress(document, 40 if document.has_xlsx else 30, Step.DOCX)
    docx = folder / f"{stem}.docx"
    with template_file(template) as template_path:
        try:
            warnings = _write(document, plan, docx, template_path)
        except LowcarbonError as error:
            raise _Stop(
                _("The Word document could not be written: {problem}").format(
                    problem=error.message.render(_)
                )
            ) from error
    with docx.open("rb") as handle:
        document.docx.save(docx.name, File(handle), save=False)
    document.warnings = list(warnings)
    document.template = template
    document.template_sha256 = template.sha256 if template is not None else ""
    _update(
        document,
        docx=document.docx.name,
        warnings=document.warnings,
        template=template,
        template_sha256=document.template_sha256,
    )
    _progress(document, 65, Step.PDF)
    try:
        pdf = convert_to_pdf(docx, folder, waiting=lambda: _beat(document))
    except PdfConversionError as error:
        document.pdf_error = error.message.render(_)
    else:
        with pdf.open("rb") as handle:
            document.pdf.save(pdf.name, File(handle), save=False)
    with transaction.atomic():
        document.status = DocumentStatus.DONE
        document.progress = 100
        document.step = Step.FINISHED
        document.finished_at = timezone.now()
        _update(
            document,
            pdf=document.pdf.name or "",
            pdf_error=document.pdf_error,
            status=DocumentStatus.DONE,
            progress=100,
            step=Step.FINISHED,
            finished_at=document.finished_at,
        )
        record_event(
            actor=None,
            action=GENERATED,
            target=document,
            after={
                "kind": document.kind,
                "year": document.year,
                "snapshot_sha256": digest,
                "template": document.template_sha256 or "bundled",
                "pdf": bool(document.pdf),
                "pdf_error": document.pdf_error,
                "xlsx": bool(document.xlsx),
                "warnings": len(document.warnings),
            },
        )


def _fail(document: GeneratedDocument, reason: str) -> None:
    with transaction.atomic():
        failed = GeneratedDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.RUNNING
        ).update(status=DocumentStatus.FAILED, error=reason, finished_at=timezone.now())
        if failed:
            record_event(actor=None, action=FAILED, target=document, after={"error": reason})


def run_generation(document_id: int) -> str:
    """Make the document's files; returns its final status. A job already taken by another
    worker (or finished) is left alone."""
    now = timezone.now()
    claimed = GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.QUEUED).update(
        status=DocumentStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        progress=5,
        step=Step.SNAPSHOT,
    )
    if not claimed:
        return "skipped"
    document = GeneratedDocument.objects.select_related(
        "application", "application__round", "application__unit", "submission"
    ).get(pk=document_id)
    with (
        translation.override(settings.LANGUAGE_CODE),
        tempfile.TemporaryDirectory(prefix="lowcarbon-document-") as folder,
    ):
        try:
            _make(document, Path(folder))
        except _Abandoned:
            logger.warning("document %s: marked interrupted while this worker ran it", document_id)
        except _Stop as stop:
            _fail(document, stop.reason)
        except (LowcarbonError, ValidationError) as error:
            reason = (
                error.message.render(_)
                if isinstance(error, LowcarbonError)
                else "；".join(error.messages)
            )
            _fail(document, _("The document could not be made: {problem}").format(problem=reason))
        except Exception:
            logger.exception("document %s: generation failed", document_id)
            _fail(
                document,
                _(
                    "An unexpected error stopped the generation; the administrator finds it in "
                    "the server log under document {id}."
                ).format(id=document_id),
            )
    return str(GeneratedDocument.objects.values_list("status", flat=True).get(pk=document_id))


@task()
def generate_document(document_id: int) -> str:
    """The queued job (django-tasks): run by ``manage.py db_worker`` in production."""
    return run_generation(document_id)
