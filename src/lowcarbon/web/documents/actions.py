"""Generated documents: asking for one, and the Word templates, each an audited action.

The generation itself runs in the background (:mod:`lowcarbon.web.documents.tasks`);
``do_request_document`` records the request and puts the job on the queue, so the page answers
at once and shows the job's progress. The documents are the implementation plan, the task list
(任务清单) and the annual work plan (年度工作计划) of a year the user picks.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.numbers import NumberError, parse_whole, year_spec
from lowcarbon.documents.plan import PlanInput, write_plan
from lowcarbon.documents.word import TemplateError
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.computing import accounting_input
from lowcarbon.web.applications.evidence import EvidenceRejected, content_kind, too_large
from lowcarbon.web.applications.models import Application, Submission
from lowcarbon.web.applications.outlines import local, outline_of
from lowcarbon.web.applications.submission import draft_snapshot, snapshot_sha256
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.documents.models import (
    YEAR_MAX,
    YEAR_MIN,
    DocumentKind,
    DocumentStatus,
    DocumentTemplate,
    GeneratedDocument,
)
from lowcarbon.web.documents.template_package import template_package_problem
from lowcarbon.web.numbers import posted_version
from lowcarbon.web.rounds.editions import outline_editions
from lowcarbon.web.rounds.models import Stage

__all__ = [
    "DRAFT",
    "current_draft_sha256",
    "do_mark_interrupted",
    "do_request_document",
    "do_reset_template",
    "do_upload_template",
    "is_stale",
    "work_plan_years",
]

logger = logging.getLogger("lowcarbon.web.documents")

# ``source`` of a request made from the draft as it stands (else: a submission number).
DRAFT = "draft"

REQUESTED = "document_requested"
INTERRUPTED = "document_interrupted"
TEMPLATE_UPLOADED = "document_template_uploaded"
TEMPLATE_RESET = "document_template_reset"


# --- staleness -------------------------------------------------------------------------------


def current_draft_sha256(application: Application) -> str:
    """The hash the draft's snapshot would have now (nothing in it depends on the time)."""
    return snapshot_sha256(draft_snapshot(application))


def is_stale(document: GeneratedDocument, current: str | None) -> bool:
    """A draft's document made from other contents than the draft has now. A submission's
    document is never stale: its snapshot is frozen."""
    return (
        document.submission_id is None
        and document.status == DocumentStatus.DONE
        and current is not None
        and document.snapshot_sha256 != current
    )


# --- interrupted jobs ------------------------------------------------------------------------


def _interruption(document: GeneratedDocument) -> str:
    """Why a silent job is taken as interrupted, in the working language (stored with it)."""
    with translation.override(settings.LANGUAGE_CODE):
        since = timezone.localtime(document.heartbeat_at).strftime("%Y-%m-%d %H:%M:%S")
        if document.status == DocumentStatus.RUNNING:
            return _(
                "Generation interrupted: the background job has given no sign of life since "
                "{time} (at {progress}%, {step}); it was stopped, for example by a restart or a "
                "crash of the server. Generate the document again."
            ).format(time=since, progress=document.progress, step=document.get_step_display())
        return _(
            "Generation interrupted: the job has waited for the background worker since {time} "
            "without being started; the worker is not running. Ask the administrator to start "
            "it (manage.py db_worker), then generate the document again."
        ).format(time=since)


def do_mark_interrupted(
    documents: QuerySet[GeneratedDocument], *, now: datetime | None = None
) -> list[GeneratedDocument]:
    """Mark the jobs among ``documents`` that are queued or running but silent for longer than
    their state allows (:func:`~lowcarbon.web.documents.models.silence_allowed`) as failed,
    with the reason, so that the document can be asked for again. Each is audited as the
    platform's own decision (no actor). A job that gives a sign of life meanwhile is left
    running: the mark applies only to the very state that was judged silent."""
    now = now or timezone.now()
    active = documents.filter(status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING])
    marked = []
    for document in active:
        if not document.is_interrupted(now):
            continue
        reason = _interruption(document)
        with transaction.atomic():
            updated = GeneratedDocument.objects.filter(
                pk=document.pk, status=document.status, heartbeat_at=document.heartbeat_at
            ).update(status=DocumentStatus.FAILED, error=reason, finished_at=now)
            if not updated:
                continue
            record_event(
                actor=None,
                action=INTERRUPTED,
                target=document,
                before={
                    "status": document.status,
                    "progress": document.progress,
                    "step": document.step,
                    "heartbeat_at": document.heartbeat_at.isoformat(),
                },
                after={"status": DocumentStatus.FAILED, "error": reason},
                reason=reason,
            )
        marked.append(document)
    return marked


# --- templates -------------------------------------------------------------------------------


def _edition_errors(kind: str, edition: str) -> dict[str, list[str]]:
    if kind not in {"community", "zone"}:
        return {"kind": [_("Choose the kind of demonstration (community or zone).")]}
    editions = outline_editions(kind)
    if edition not in editions:
        return {
            "edition": [
                _(
                    "There is no plan outline edition “{edition}”; the editions are: {known}."
                ).format(edition=edition, known="、".join(editions) or "—")
            ]
        }
    return {}


def _check_template(content: bytes, name: str, kind: str, edition: str) -> None:
    """Render a test plan (the edition's outline, nothing filled in) with the template; the
    problem the renderer finds, naming the field, is the upload's error."""
    with (
        tempfile.TemporaryDirectory(prefix="lowcarbon-template-check-") as folder,
        translation.override(settings.LANGUAGE_CODE),
    ):
        template = Path(folder) / "template.docx"
        template.write_bytes(content)
        plan = PlanInput(
            outline=outline_of(kind, edition),
            sections={},
            unit_name=_("Sample unit"),
            scheme=kind,
            round_year=timezone.localdate().year,
            draw_charts=False,
        )
        try:
            write_plan(plan, Path(folder) / "test.docx", _, local, template=template)
        except TemplateError as error:
            problem = error.problem.render(_)
            raise ValidationError(
                {
                    "file": [
                        _(
                            "The template “{name}” cannot be used: {problem}. Nothing was saved."
                        ).format(name=name, problem=problem)
                    ]
                }
            ) from error


def do_upload_template(
    *, kind: str, edition: str, content: bytes, name: str, actor: User
) -> DocumentTemplate:
    """Put an uploaded Word template in use for an outline edition, after rendering a test
    document with it; the template it replaces is retired (kept: documents name it)."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_manage_document_templates(actor):
        raise ValidationError({"__all__": [_("Only the administrator manages the templates.")]})
    errors |= _edition_errors(kind, edition)
    limit = settings.LOWCARBON_UPLOAD_MAX_BYTES
    if len(content) > limit:
        errors["file"] = [too_large(len(content), limit)]
    elif (problem := template_package_problem(content, name)) is not None:
        errors["file"] = [problem]
    else:
        try:
            found = content_kind(content)
        except EvidenceRejected as rejected:
            errors["file"] = [
                _("“{name}” is not a Word document (.docx): {reason}").format(
                    name=name, reason=rejected.message
                )
            ]
        else:
            if found != "docx":
                errors["file"] = [
                    _(
                        "“{name}” is a {found} file by its content, not a Word document (.docx)."
                    ).format(name=name, found=found.upper())
                ]
    if errors:
        raise ValidationError(errors)
    _check_template(content, name, kind, edition)
    digest = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        now = timezone.now()
        previous = list(
            DocumentTemplate.objects.select_for_update().filter(
                kind=kind, edition=edition, retired_at__isnull=True
            )
        )
        for old in previous:
            old.retired_at = now
            old.retired_by = actor
            old.save(update_fields=["retired_at", "retired_by"])
        template = DocumentTemplate(
            kind=kind,
            edition=edition,
            original_name=name[:255],
            size=len(content),
            sha256=digest,
            uploaded_by=actor,
        )
        template.file.save(f"{digest}.docx", ContentFile(content), save=False)
        template.save()
        record_event(
            actor=actor,
            action=TEMPLATE_UPLOADED,
            target=template,
            before={"template": previous[0].sha256 if previous else "bundled"},
            after={"kind": kind, "edition": edition, "template": digest, "name": name},
        )
    return template


def do_reset_template(*, kind: str, edition: str, actor: User) -> DocumentTemplate:
    """Go back to the bundled default template for an outline edition."""
    if not permissions.can_manage_document_templates(actor):
        raise ValidationError({"__all__": [_("Only the administrator manages the templates.")]})
    errors = _edition_errors(kind, edition)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        current = (
            DocumentTemplate.objects.select_for_update()
            .filter(kind=kind, edition=edition, retired_at__isnull=True)
            .first()
        )
        if current is None:
            raise ValidationError(
                _("The bundled default template is already in use; nothing was changed."),
                code="stale",
            )
        current.retired_at = timezone.now()
        current.retired_by = actor
        current.save(update_fields=["retired_at", "retired_by"])
        record_event(
            actor=actor,
            action=TEMPLATE_RESET,
            target=current,
            before={"kind": kind, "edition": edition, "template": current.sha256},
            after={"template": "bundled"},
        )
    return current


# --- the years of a work plan ----------------------------------------------------------------


def work_plan_years(application: Application) -> tuple[list[int], int]:
    """The years offered for the annual work plan and the one proposed.

    Offered: from the year after the base year to the last target year of the baseline data —
    the years the plan forecast covers (附件2 三: staged targets up to the target year), the
    base year itself being the inventory, not a year of work. Proposed: the next calendar year,
    the year a district asks the work plan for. Another year (no baseline data yet, or a year
    outside the forecast) may still be asked; the document then shows placeholders."""
    proposed = timezone.localdate().year + 1
    try:
        data = accounting_input(application)
    except (LowcarbonError, ValidationError, KeyError, TypeError, ValueError):
        # Stored data is checked when saved; an unreadable one only loses the suggestions.
        logger.warning("application %s: baseline data unreadable for the years", application.pk)
        data = None
    if data is None:
        return [], proposed
    base = data.profile.base_year
    last = max(
        {t.year for t in data.targets} | set(data.assumptions.target_years) | {base},
    )
    return list(range(base + 1, last + 1)), proposed


def _year(kind: str, year: str | int | None) -> tuple[int | None, dict[str, list[str]]]:
    """The work plan's year from what was typed; the other documents have none (ignored)."""
    if kind != DocumentKind.WORK_PLAN:
        return None, {}
    text = "" if year is None else str(year).strip()
    if not text:
        return None, {"year": [_("Enter the year of the annual work plan, such as 2027.")]}
    try:
        # The one parser of typed numbers (lowcarbon.web.numbers), with this form's words.
        return parse_whole(text, year_spec("", YEAR_MIN, YEAR_MAX)), {}
    except NumberError as error:
        if error.reason in ("too_small", "too_large"):
            return None, {
                "year": [
                    _(
                        "The year of the work plan {value} is outside {low}–{high}; enter the "
                        "year the work plan is for."
                    ).format(value=error.found, low=YEAR_MIN, high=YEAR_MAX)
                ]
            }
        return None, {
            "year": [
                _(
                    "The year of the work plan “{value}” is not a number; enter a year in "
                    "digits, such as 2027."
                ).format(value=error.found)
            ]
        }


# --- requesting a document -------------------------------------------------------------------


def _submission(application: Application, source: str | int) -> Submission | None:
    if source == DRAFT:
        return None
    number = posted_version({"source": source}, "source")
    if number < 1:
        raise ValidationError(
            {"source": [_("Choose the draft or a submission to make the document from.")]}
        )
    submission = application.submissions.filter(number=number, stage=Stage.SELECTION).first()
    if submission is None:
        raise ValidationError(
            {"source": [_("The application has no submission {number}.").format(number=number)]}
        )
    return submission


def do_request_document(
    application: Application,
    *,
    source: str | int,
    actor: User,
    kind: str = DocumentKind.PLAN,
    year: str | int | None = None,
    now: datetime | None = None,
) -> GeneratedDocument:
    """Record the request of a document from the draft (``source="draft"``) or from a
    submission (its number) and queue the job: the plan (DOCX, then its PDF), the task list
    (XLSX and DOCX, then the DOCX's PDF) or the annual work plan of ``year`` (DOCX, its PDF,
    and XLSX).

    Refused while a job for the same document (kind, source and year) is still queued or
    running: one is enough, and two would only race each other to the same files. A job
    silent for too long (its worker was stopped) does not count: it is marked interrupted
    first (:func:`do_mark_interrupted`, at ``now``), and the new request says it replaces it."""
    errors: dict[str, list[str]] = {}
    if kind not in DocumentKind.values:
        errors["kind"] = [
            _(
                "There is no document “{kind}”; choose the implementation plan, the task list or "
                "the annual work plan."
            ).format(kind=str(kind)[:40])
        ]
    number, year_errors = _year(kind, year)
    errors |= year_errors
    try:
        submission = _submission(application, source)
    except ValidationError as error:
        raise ValidationError(errors | error.message_dict) from None
    # Who may ask comes before what was typed: a refusal says so, not that the year is wrong.
    if not permissions.can_request_document(actor, application, submission):
        raise ValidationError(
            {
                "__all__": [
                    _("Only the applicant unit's own people make documents from the draft.")
                    if submission is None
                    else _(
                        "Only the applicant unit, its district officer and the administrator "
                        "make documents from a submission."
                    )
                ]
            }
        )
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        # The application's row serialises requests: the check below cannot race.
        locked = Application.objects.select_for_update().get(pk=application.pk)
        same = GeneratedDocument.objects.filter(
            application=locked, kind=kind, year=number, submission=submission
        )
        interrupted = do_mark_interrupted(same, now=now)
        busy = same.filter(status__in=[DocumentStatus.QUEUED, DocumentStatus.RUNNING]).first()
        if busy is not None:
            raise ValidationError(
                _(
                    "This document is already being made (requested at {time}); wait until it is "
                    "finished. Nothing new was queued."
                ).format(time=timezone.localtime(busy.requested_at).strftime("%H:%M:%S")),
                code="busy",
            )
        document = GeneratedDocument.objects.create(
            application=locked, kind=kind, year=number, submission=submission, requested_by=actor
        )
        record_event(
            actor=actor,
            action=REQUESTED,
            target=document,
            after={
                "application": locked.pk,
                "kind": kind,
                "year": number,
                "source": DRAFT if submission is None else submission.number,
                "snapshot_sha256": "" if submission is None else submission.snapshot_sha256,
                **({"replaces": [d.pk for d in interrupted]} if interrupted else {}),
            },
        )
    _enqueue(document)
    document.refresh_from_db()
    return document


def _enqueue(document: GeneratedDocument) -> None:
    """Put the job on the queue once the request is committed (a worker must find its row).
    A queue that cannot be reached fails the document with the reason, never leaves it
    waiting for ever."""
    from lowcarbon.web.documents.tasks import generate_document

    try:
        result = generate_document.enqueue(document.pk)
    except Exception:
        logger.exception("document %s could not be queued", document.pk)
        with translation.override(settings.LANGUAGE_CODE):
            reason = _("The background queue could not be reached; ask the administrator.")
        GeneratedDocument.objects.filter(pk=document.pk, status=DocumentStatus.QUEUED).update(
            status=DocumentStatus.FAILED, error=reason, finished_at=timezone.now()
        )
        return
    GeneratedDocument.objects.filter(pk=document.pk).update(task_id=str(result.id)[:64])
