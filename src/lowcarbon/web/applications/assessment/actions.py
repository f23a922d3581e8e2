"""The audited actions of the self-assessment: saving or importing an answer, attaching and
removing evidence files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.core.answers import AnswerSet
from lowcarbon.core.errors import AnswerProblems
from lowcarbon.core.rubric import Item, Rubric
from lowcarbon.core.scoring import score_answers
from lowcarbon.rules.answers import answer_set_from_data
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.evidence import (
    EvidenceRejected,
    kind_name,
    read_upload,
    sniff,
    store,
    too_large,
)
from lowcarbon.web.applications.models import Application, Evidence
from lowcarbon.web.audit.models import AuditEvent
from lowcarbon.web.audit.recording import record_event

from .cleaning import _stored_number, clean_answer, problem_field
from .fields import active_evidence, item_label, rubric_for
from .totals import _answers_mapping, _evidence_listing

ANSWER_SAVED = "assessment_answer_saved"
EVIDENCE_ATTACHED = "evidence_attached"
EVIDENCE_REMOVED = "evidence_removed"
TITLE_LIMIT = 200


def _refusal(application: Application, actor: User) -> str | None:
    """Why ``actor`` may not change ``application`` now, or None."""
    if not permissions.is_own_unit(actor, application):
        return _("You can only edit your own unit's applications.")
    if not application.is_editable:
        return _(
            "The application is {status}: it can no longer be changed. Withdraw the submission "
            "first if it has to change."
        ).format(status=application.get_status_display())
    deadline = application.round.submission_deadline
    if timezone.localdate() > deadline:
        return _("The submission deadline ({deadline}) has passed.").format(
            deadline=deadline.isoformat()
        )
    return None


def _changed_items(application: Application, version: int) -> list[str]:
    """Item ids whose answers changed after ``version``, in save order."""
    events = AuditEvent.objects.filter(
        action__in=[ANSWER_SAVED, EVIDENCE_REMOVED],
        object_type=Application._meta.label,
        object_id=str(application.pk),
    ).order_by("pk")
    changed: list[str] = []
    for event in events:
        after = event.after or {}
        if after.get("answers_version", 0) <= version:
            continue
        for item_id in after.get("items", []):
            if item_id not in changed:
                changed.append(item_id)
    return changed


def _stale(application: Application, locked: Application, expected: int) -> ValidationError:
    rubric = rubric_for(application)
    names = [
        item_label(item) if (item := rubric.item(i)) else i
        for i in _changed_items(locked, expected)
    ]
    return ValidationError(
        _(
            "Someone else saved the self-assessment first (now version {current}, you started "
            "from version {expected}). Changed since: {changed}. Nothing was saved; check the "
            "item and save again."
        ).format(
            current=locked.answers_version, expected=expected, changed="、".join(names) or "—"
        ),
        code="stale",
    )


def _validate_with_engine(
    application: Application, item: Item, answer: dict[str, Any], evidence: Mapping[str, Any]
) -> dict[str, list[str]]:
    """The scoring engine's problems with ``answer``, by form field (other items ignored)."""
    items = dict(application.answers)
    items[item.id] = answer
    return engine_errors(
        rubric_for(application), item, _answers_mapping(application, items, evidence)
    )


def engine_errors(rubric: Rubric, item: Item, mapping: Mapping[str, Any]) -> dict[str, list[str]]:
    """The scoring engine's problems with ``item``'s answer in the answers ``mapping``, by form
    field; problems of other (unanswered) items are the running total's business."""
    candidate: AnswerSet = answer_set_from_data(mapping)
    try:
        score_answers(rubric, candidate)
    except AnswerProblems as problems:
        errors: dict[str, list[str]] = {}
        for error in problems.problems:
            if error.item_id != item.id:
                continue
            field, message = problem_field(item, error)
            errors.setdefault(field, []).append(message)
        return errors
    return {}


def _answerable(application: Application, item_id: str, actor: User) -> tuple[Item, dict[str, Any]]:
    """The item to answer and the application's evidence listing; refused when the item does
    not exist or ``actor`` may not change the application now."""
    rubric = rubric_for(application)
    item = rubric.item(item_id)
    if item is None:
        raise ValidationError(
            {
                "__all__": [
                    _("The indicator system {rubric} has no item {item}.").format(
                        rubric=rubric.ref, item=item_id
                    )
                ]
            }
        )
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    return item, _evidence_listing(application)


def do_save_answer(
    application: Application,
    item_id: str,
    raw: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Save the answer to one item; the answer set with it must pass the scoring engine."""
    item, evidence = _answerable(application, item_id, actor)
    answer, errors = clean_answer(item, raw, evidence)
    if not errors:
        errors = _validate_with_engine(application, item, answer, evidence)
    if errors:
        raise ValidationError(errors)
    return _store_answer(application, item_id, answer, expected_version, actor)


def do_import_answer(
    application: Application,
    item_id: str,
    answer: Mapping[str, Any],
    *,
    expected_version: int,
    actor: User,
) -> Application:
    """Save one item's answer given as in an answers file (``items`` of answers.yaml) rather
    than as form fields: the way a prepared self-assessment (or the demo) is brought in. The
    same checks as :func:`do_save_answer`: evidence numbers listed, the engine accepts it."""
    item, evidence = _answerable(application, item_id, actor)
    value = json.loads(json.dumps(dict(answer), default=_stored_number))
    unlisted = [code for code in value.get("evidence") or () if code not in evidence]
    errors: dict[str, list[str]] = {}
    if unlisted:
        errors["evidence"] = [
            _("Evidence {codes} is not among this application's files.").format(
                codes="、".join(unlisted)
            )
        ]
    else:
        errors = _validate_with_engine(application, item, value, evidence)
    if errors:
        raise ValidationError(errors)
    return _store_answer(application, item_id, value, expected_version, actor)


def _store_answer(
    application: Application,
    item_id: str,
    answer: dict[str, Any],
    expected_version: int,
    actor: User,
) -> Application:
    with transaction.atomic():
        locked = Application.objects.select_for_update().select_related("round", "unit")
        current = locked.get(pk=application.pk)
        if current.answers_version != expected_version:
            raise _stale(application, current, expected_version)
        before = current.answers.get(item_id)
        answers = dict(current.answers)
        answers[item_id] = answer
        current.answers = answers
        current.answers_version += 1
        current.save(update_fields=["answers", "answers_version", "updated_at"])
        record_event(
            actor=actor,
            action=ANSWER_SAVED,
            target=current,
            before={"answers_version": expected_version, "items": [item_id], "answer": before},
            after={
                "answers_version": current.answers_version,
                "items": [item_id],
                "answer": answer,
            },
        )
    return current


def do_attach_evidence(
    application: Application,
    uploaded_file: UploadedFile,
    *,
    title: str,
    items: Iterable[str],
    actor: User,
) -> Evidence:
    """Attach one evidence file: type checked by content, size by the limit, numbered E01…"""
    errors: dict[str, list[str]] = {}
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    name = (uploaded_file.name or "").strip() or "file"
    title = (title or "").strip()
    if not title:
        errors["title"] = [_("Give the file a title, e.g. what the document is.")]
    elif len(title) > TITLE_LIMIT:
        errors["title"] = [
            _("The title has {found} characters; at most {limit}.").format(
                found=len(title), limit=TITLE_LIMIT
            )
        ]
    rubric = rubric_for(application)
    chosen = list(dict.fromkeys(str(i) for i in items))
    unknown = [i for i in chosen if rubric.item(i) is None]
    if unknown:
        errors["items"] = [
            _("The indicator system has no item {found}.").format(found="、".join(unknown))
        ]
    limit: int = settings.LOWCARBON_UPLOAD_MAX_BYTES
    content = b""
    sniffed = None
    try:
        if uploaded_file.size is not None and uploaded_file.size > limit:
            raise EvidenceRejected(too_large(uploaded_file.size, limit))
        content = read_upload(uploaded_file.chunks(), limit)
        sniffed = sniff(content, name)
    except EvidenceRejected as rejected:
        errors["file"] = [_("{name}: {problem}").format(name=name, problem=rejected.message)]
    if sniffed is not None:
        existing = active_evidence(application).filter(sha256=sniffed.sha256).first()
        if existing is not None:
            errors["file"] = [
                _(
                    "{name}: the same file is already attached as {code} ({title}); nothing "
                    "was stored."
                ).format(name=name, code=existing.code, title=existing.title)
            ]
    if errors:
        raise ValidationError(errors)
    assert sniffed is not None
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        refusal = _refusal(locked, actor)
        if refusal:
            raise ValidationError({"__all__": [refusal]})
        duplicate = active_evidence(locked).filter(sha256=sniffed.sha256).first()
        if duplicate is not None:
            raise ValidationError(
                {
                    "file": [
                        _("The same file was just attached as {code}.").format(code=duplicate.code)
                    ]
                }
            )
        # Numbers are never reused, not even those of removed files: the audit trail and any
        # printed list keep meaning the same file.
        numbers = [
            int(code[1:])
            for code in locked.evidence.values_list("code", flat=True)
            if code[1:].isdigit()
        ]
        code = f"E{max(numbers, default=0) + 1:02d}"
        evidence = Evidence(
            application=locked,
            code=code,
            title=title,
            items=chosen,
            original_name=name[:255],
            content_kind=sniffed.kind,
            size=sniffed.size,
            sha256=sniffed.sha256,
            uploaded_by=actor,
        )
        store(evidence, content)
        evidence.save()
        record_event(
            actor=actor,
            action=EVIDENCE_ATTACHED,
            target=locked,
            after={
                "code": code,
                "title": title,
                "items": chosen,
                "file": evidence.original_name,
                "kind": sniffed.kind,
                "size": sniffed.size,
                "sha256": sniffed.sha256,
            },
        )
    return evidence


def do_remove_evidence(application: Application, code: str, *, actor: User) -> list[str]:
    """Remove evidence ``code`` from a draft; returns the items whose answers cited it.

    The row and the stored file stay (``removed_at``) for the audit trail. Answers citing the
    file lose the reference in the same transaction: a removed file must not keep supporting
    points (附件4 注: without evidence an item scores 0), and refusing instead would make the
    applicant edit every citing item first. The page says which items were affected."""
    refusal = _refusal(application, actor)
    if refusal:
        raise ValidationError({"__all__": [refusal]})
    with transaction.atomic():
        locked = (
            Application.objects.select_for_update()
            .select_related("round", "unit")
            .get(pk=application.pk)
        )
        evidence = active_evidence(locked).filter(code=code).first()
        if evidence is None:
            raise ValidationError(
                {"__all__": [_("There is no evidence file {code} to remove.").format(code=code)]}
            )
        answers = dict(locked.answers)
        affected = [
            item_id
            for item_id, answer in answers.items()
            if code in ((answer or {}).get("evidence") or ())
        ]
        before = {item_id: answers[item_id] for item_id in affected}
        for item_id in affected:
            answer = dict(answers[item_id])
            remaining = [c for c in answer.get("evidence", []) if c != code]
            if remaining:
                answer["evidence"] = remaining
            else:
                answer.pop("evidence", None)
            answers[item_id] = answer
        if affected:
            locked.answers = answers
            locked.answers_version += 1
            locked.save(update_fields=["answers", "answers_version", "updated_at"])
        evidence.removed_at = timezone.now()
        evidence.save(update_fields=["removed_at"])
        record_event(
            actor=actor,
            action=EVIDENCE_REMOVED,
            target=locked,
            before={"code": code, "title": evidence.title, "answers": before},
            after={
                "code": code,
                "answers_version": locked.answers_version,
                "items": affected,
                "kind": kind_name(evidence.content_kind),
            },
        )
    return affected
