"""The panel's site inspection, written: an expert of the panel records a finding for an item
(with photos checked by their content, :func:`lowcarbon.web.review.inspection.check_photo`),
the uploader or the administrator takes a photo off; each write locks what it changes and
records one event. What the inspection covers and how photos are checked live in
:mod:`lowcarbon.web.review.inspection`."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.models import Application
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.review.actions.common import TEXT_LIMIT
from lowcarbon.web.review.inspection import (
    PHOTO_LIMIT,
    CheckedPhoto,
    UploadedPhoto,
    check_photo,
    inspection_items,
    panel_submission,
)
from lowcarbon.web.review.models import (
    FindingOutcome,
    Inspection,
    InspectionFinding,
    InspectionPhoto,
    Panel,
)
from lowcarbon.web.review.snapshots import snapshot_rubric

__all__ = ["CAPTION_LIMIT", "do_record_finding", "do_remove_photo"]

CAPTION_LIMIT = 200


def _stale(finding: InspectionFinding, expected: int) -> ValidationError:
    who = finding.recorded_by.get_full_name() or finding.recorded_by.get_username()
    return ValidationError(
        _(
            "{who} recorded a finding for this item in the meantime (version {current}, you "
            "started from version {expected}). Nothing was saved; read theirs and add yours."
        ).format(who=who, current=finding.version, expected=expected),
        code="stale",
    )


def do_record_finding(
    panel: Panel,
    application: Application,
    item_id: str,
    *,
    outcome: str,
    text: str,
    photos: Sequence[UploadedPhoto] = (),
    caption: str = "",
    expected_version: int,
    actor: User,
) -> InspectionFinding | None:
    """Record the panel's finding for one item and add photos, all or nothing.

    ``expected_version`` is the finding's version the form showed (0: none yet); when another
    member of the panel saved the item in between, nothing is saved. Returns the finding
    (``None`` when only photos were added to an item without one)."""
    errors: dict[str, list[str]] = {}
    if not permissions.can_record_inspection(actor, panel, application):
        raise ValidationError(
            {
                "__all__": [
                    _(
                        "Only the panel's experts and the administrator record the site "
                        "inspection, until the decision is published."
                    )
                ]
            }
        )
    submission = panel_submission(panel, application)
    if submission is None:
        raise ValidationError({"__all__": [_("The application is not assigned to this panel.")]})
    rubric = snapshot_rubric(submission)
    item = rubric.item(item_id)
    if item is None or item not in inspection_items(rubric):
        raise ValidationError(
            {
                "__all__": [
                    _("Item {item} is not checked on site or by interview ({rubric}).").format(
                        item=item_id, rubric=rubric.ref
                    )
                ]
            }
        )
    outcome = (outcome or "").strip()
    if outcome and outcome not in FindingOutcome.values:
        errors["outcome"] = [
            _("“{found}” is not a result of the check; choose one of: {choices}.").format(
                found=outcome, choices="、".join(str(label) for label in FindingOutcome.labels)
            )
        ]
    text = (text or "").strip()
    if len(text) > TEXT_LIMIT:
        errors["text"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=TEXT_LIMIT, found=len(text)
            )
        ]
    caption = (caption or "").strip()
    if len(caption) > CAPTION_LIMIT:
        errors["caption"] = [
            _("At most {limit} characters ({found} given).").format(
                limit=CAPTION_LIMIT, found=len(caption)
            )
        ]
    checked: list[CheckedPhoto] = []
    if len(photos) > PHOTO_LIMIT:
        errors["photos"] = [
            _("At most {limit} photos at a time ({found} chosen).").format(
                limit=PHOTO_LIMIT, found=len(photos)
            )
        ]
    else:
        for photo in photos:
            try:
                checked.append(check_photo(photo))
            except ValueError as problem:
                errors.setdefault("photos", []).append(str(problem))
    existing = InspectionFinding.objects.filter(
        inspection__panel=panel, inspection__application=application, item_id=item.id
    ).first()
    if not errors and not (outcome or text or checked or existing):
        errors["__all__"] = [_("Choose the result of the check, write a finding or add a photo.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        inspection, _created = Inspection.objects.select_for_update().get_or_create(
            panel=panel,
            application=application,
            defaults={"submission": submission, "created_by": actor},
        )
        finding = (
            InspectionFinding.objects.select_for_update()
            .select_related("recorded_by")
            .filter(inspection=inspection, item_id=item.id)
            .first()
        )
        current = finding.version if finding is not None else 0
        if current != expected_version:
            if finding is None:  # the form knew a finding that is gone: cannot happen today
                raise ValidationError(_("The finding changed; reload the page."), code="stale")
            raise _stale(finding, expected_version)
        before = (
            {"outcome": finding.outcome, "text": finding.text, "version": finding.version}
            if finding is not None
            else None
        )
        changed = before is None or (before["outcome"], before["text"]) != (outcome, text)
        if (outcome or text or finding is not None) and changed:
            if finding is None:
                finding = InspectionFinding(inspection=inspection, item_id=item.id, version=0)
            finding.outcome = outcome
            finding.text = text
            finding.version += 1
            finding.recorded_by = actor
            finding.save()
            record_event(
                actor=actor,
                action="inspection_finding_recorded",
                target=finding,
                before=before,
                after={
                    "item": item.id,
                    "outcome": outcome,
                    "text": text,
                    "version": finding.version,
                },
            )
        for accepted in checked:
            row = InspectionPhoto(
                inspection=inspection,
                item_id=item.id,
                original_name=accepted.name[:255],
                content_kind=accepted.kind,
                size=len(accepted.content),
                sha256=accepted.sha256,
                width=accepted.width,
                height=accepted.height,
                caption=caption,
                uploaded_by=actor,
            )
            row.file.save(accepted.name, ContentFile(accepted.content), save=False)
            row.save()
            record_event(
                actor=actor,
                action="inspection_photo_added",
                target=row,
                after={
                    "item": item.id,
                    "name": row.original_name,
                    "kind": accepted.kind,
                    "size": row.size,
                    "sha256": accepted.sha256,
                    "caption": caption,
                },
            )
    return finding


def do_remove_photo(photo: InspectionPhoto, *, reason: str = "", actor: User) -> InspectionPhoto:
    """Take a photo off the inspection (its uploader or the administrator); the row and the
    file stay for the audit trail."""
    inspection = photo.inspection
    allowed = permissions.can_record_inspection(actor, inspection.panel, inspection.application)
    if not allowed or not (
        photo.uploaded_by_id == actor.pk or permissions.can_manage_review(actor)
    ):
        raise ValidationError(
            {"__all__": [_("Only whoever added the photo or the administrator removes it.")]}
        )
    with transaction.atomic():
        locked = InspectionPhoto.objects.select_for_update().get(pk=photo.pk)
        if locked.removed_at is not None:
            raise ValidationError(_("The photo was already removed."), code="stale")
        locked.removed_at = timezone.now()
        locked.removed_by = actor
        locked.save(update_fields=["removed_at", "removed_by"])
        record_event(
            actor=actor,
            action="inspection_photo_removed",
            target=locked,
            before={"item": locked.item_id, "sha256": locked.sha256},
            after={"removed_at": locked.removed_at.isoformat()},
            reason=reason,
        )
    return locked
