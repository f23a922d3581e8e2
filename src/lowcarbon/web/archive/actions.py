"""Writes to a unit's records archive, each validated first, then one transaction with a
version check where a record is changed, and one audit event.

Files are read and checked by content (``applications.evidence.read_uploads``) and stored under
their hash, once however often they are attached. A record cited by something frozen cannot be
changed or removed; removing a record keeps it (with who, when and why), out of the lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.rules.archive_categories import ArchiveCategory, categories_of
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import User
from lowcarbon.web.applications.assessment import rubric_for
from lowcarbon.web.applications.evidence import (
    CheckedFile,
    kind_name,
    read_uploads,
    store_by_hash,
)
from lowcarbon.web.archive.citations import cited_by
from lowcarbon.web.archive.models import (
    ArchiveFile,
    ArchiveRecord,
    FileRole,
    VolunteerMember,
    archive_path,
)
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.models import CreationUnit
from lowcarbon.web.creation.schedule import local_date

__all__ = [
    "MAX_FILES",
    "RecordInput",
    "category_of",
    "do_add_record",
    "do_add_volunteer",
    "do_change_record",
    "do_publish_report",
    "do_remove_record",
]

TEXT_LIMIT = 2000
TITLE_LIMIT = 200
LINE_LIMIT = 200
MAX_FILES = 10
PHOTO_KINDS = ("png", "jpeg")


@dataclass(frozen=True)
class RecordInput:
    category: str
    title: str
    date: date | None
    description: str = ""
    items: Sequence[str] = ()
    place: str = ""
    organiser: str = ""
    attendance: int | None = None
    inspectors: str = ""
    findings: str = ""
    documents: Sequence[UploadedFile] = field(default_factory=tuple)
    photos: Sequence[UploadedFile] = field(default_factory=tuple)
    attendance_lists: Sequence[UploadedFile] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Checked:
    category: ArchiveCategory
    values: dict[str, object]
    files: list[tuple[str, CheckedFile]]


def category_of(unit: CreationUnit, code: str) -> ArchiveCategory | None:
    return categories_of(unit.kind).get(code)


def _refuse(message: str) -> ValidationError:
    return ValidationError({"__all__": [message]})


def _keeper(actor: User, unit: CreationUnit) -> None:
    if not permissions.can_edit_archive(actor, unit):
        raise _refuse(_("Only the unit's own people keep its archive."))


def _line(
    value: str, name: str, label: str, limit: int, errors: dict[str, list[str]], required: bool
) -> str:
    value = (value or "").strip()
    if not value and required:
        errors.setdefault(name, []).append(_("Give the {label}.").format(label=label))
    elif len(value) > limit:
        errors.setdefault(name, []).append(
            _("The {label} has {found} characters; at most {limit}.").format(
                label=label, found=len(value), limit=limit
            )
        )
    return value


def _check(
    unit: CreationUnit,
    data: RecordInput,
    now: datetime,
    existing: ArchiveRecord | None = None,
) -> _Checked:
    errors: dict[str, list[str]] = {}
    kinds = categories_of(unit.kind)
    category = kinds.get((data.category or "").strip())
    if category is None:
        errors["category"] = [
            _("The archive has no category “{found}”; choose one of: {expected}.").format(
                found=data.category, expected="、".join(c.title.zh for c in kinds.categories)
            )
        ]
    values: dict[str, object] = {
        "title": _line(data.title, "title", _("title"), TITLE_LIMIT, errors, True),
        "description": _line(
            data.description, "description", _("description"), TEXT_LIMIT, errors, False
        ),
    }
    today = local_date(now)
    if data.date is None:
        errors["date"] = [_("Give the date of the record.")]
    elif data.date > today:
        errors["date"] = [
            _(
                "The date {found} lies in the future; a record is of what happened "
                "(today is {today})."
            ).format(found=data.date.isoformat(), today=today.isoformat())
        ]
    values["date"] = data.date
    rubric = rubric_for(unit.application)
    chosen = list(dict.fromkeys(str(i).strip() for i in data.items if str(i).strip()))
    unknown = [i for i in chosen if rubric.item(i) is None]
    if unknown:
        errors["items"] = [
            _("The indicator system has no item {found}.").format(found="、".join(unknown))
        ]
    if not chosen and category is not None:
        chosen = list(category.items)
    values["items"] = chosen
    record_kind = category.record if category is not None else "document"
    activity = record_kind == "activity"
    inspection = record_kind == "inspection"
    values["place"] = _line(data.place, "place", _("place"), LINE_LIMIT, errors, activity)
    values["organiser"] = _line(
        data.organiser, "organiser", _("organiser"), LINE_LIMIT, errors, activity
    )
    if activity and data.attendance is None:
        errors.setdefault("attendance", []).append(_("Give the number of people who attended."))
    values["attendance"] = data.attendance if activity else None
    values["inspectors"] = _line(
        data.inspectors, "inspectors", _("inspectors"), 300, errors, inspection
    )
    values["findings"] = _line(
        data.findings, "findings", _("findings"), TEXT_LIMIT, errors, inspection
    )
    if not activity:
        values["place"] = values["organiser"] = ""
    if not inspection:
        values["inspectors"] = values["findings"] = ""
    files: list[tuple[str, CheckedFile]] = []
    for role, uploads, name in (
        (FileRole.DOCUMENT, data.documents, "documents"),
        (FileRole.PHOTO, data.photos, "photos"),
        (FileRole.ATTENDANCE, data.attendance_lists, "attendance_lists"),
    ):
        if len(uploads) > MAX_FILES:
            errors.setdefault(name, []).append(
                _("{found} files were sent; attach at most {limit} at once.").format(
                    found=len(uploads), limit=MAX_FILES
                )
            )
            continue
        for checked in read_uploads(uploads, errors, name):
            if role == FileRole.PHOTO and checked.kind not in PHOTO_KINDS:
                errors.setdefault(name, []).append(
                    _("{name}: a photo must be a PNG or JPEG image; the file is a {kind}.").format(
                        name=checked.name, kind=kind_name(checked.kind)
                    )
                )
                continue
            files.append((role, checked))
    if (data.photos or data.attendance_lists) and not activity and category is not None:
        errors.setdefault("photos", []).append(
            _("Photos and attendance lists belong to activities; attach this as a document.")
        )
    seen: dict[str, str] = {}
    if existing is not None:
        seen = {f.sha256: f.original_name for f in existing.files.all()}
    for _role, checked in files:
        if checked.sha256 in seen:
            errors.setdefault("documents", []).append(
                _(
                    "{name}: the same file is already attached to this record as {first}; "
                    "nothing was stored."
                ).format(name=checked.name, first=seen[checked.sha256])
            )
        seen[checked.sha256] = checked.name
    if errors:
        raise ValidationError(errors)
    assert category is not None
    values["category"] = category.code
    return _Checked(category, values, files)


def _store_files(
    record: ArchiveRecord, files: list[tuple[str, CheckedFile]], actor: User, now: datetime
) -> list[dict[str, str]]:
    stored_names = []
    for role, checked in files:
        stored = ArchiveFile(
            record=record,
            unit_id=record.unit_id,
            role=role,
            original_name=checked.name,
            content_kind=checked.kind,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_by=actor,
            uploaded_at=now,
        )
        store_by_hash(
            stored.file, archive_path(stored, checked.name), checked.name, checked.content
        )
        stored.save()
        stored_names.append({"name": checked.name, "role": role, "sha256": checked.sha256})
    return stored_names


def _audited(values: dict[str, object]) -> dict[str, object]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def do_add_record(
    unit: CreationUnit, data: RecordInput, *, actor: User, now: datetime | None = None
) -> ArchiveRecord:
    """A new record of the unit's archive with its files."""
    _keeper(actor, unit)
    now = now or timezone.now()
    checked = _check(unit, data, now)
    with transaction.atomic():
        record = ArchiveRecord.objects.create(
            unit=unit, created_by=actor, created_at=now, updated_at=now, **checked.values
        )
        names = _store_files(record, checked.files, actor, now)
        record_event(
            actor=actor,
            action="archive_record_added",
            target=record,
            after=_audited(checked.values) | {"files": names},
        )
    return record


def _locked(record: ArchiveRecord, expected_version: int) -> ArchiveRecord:
    locked = ArchiveRecord.objects.select_for_update().get(pk=record.pk)
    if locked.version != expected_version:
        raise _refuse(_("Someone changed this record meanwhile; reload the page and try again."))
    if locked.removed_at is not None:
        raise _refuse(_("The record was removed."))
    return locked


def _cited_refusal(record: ArchiveRecord, doing: str) -> None:
    citers = cited_by(record)
    if citers:
        raise _refuse(
            _("The record “{title}” is cited by {citers}; it cannot be {doing}.").format(
                title=record.title, citers=citers, doing=doing
            )
        )


def do_change_record(
    record: ArchiveRecord,
    data: RecordInput,
    *,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> ArchiveRecord:
    """The record's fields replaced and any new files added (files already attached stay)."""
    unit = record.unit
    _keeper(actor, unit)
    now = now or timezone.now()
    _cited_refusal(record, _("changed"))
    checked = _check(unit, data, now, existing=record)
    with transaction.atomic():
        locked = _locked(record, expected_version)
        _cited_refusal(locked, _("changed"))
        before = _audited({k: getattr(locked, k) for k in checked.values})
        for key, value in checked.values.items():
            setattr(locked, key, value)
        locked.updated_at = now
        locked.version += 1
        locked.save()
        names = _store_files(locked, checked.files, actor, now)
        record_event(
            actor=actor,
            action="archive_record_changed",
            target=locked,
            before=before,
            after=_audited(checked.values) | {"files": names},
        )
    return locked


def do_remove_record(
    record: ArchiveRecord,
    *,
    reason: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> ArchiveRecord:
    """The record leaves the archive's lists, kept with who removed it, when and why; refused
    while anything cites it."""
    _keeper(actor, record.unit)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    reason = _line(reason, "reason", _("reason for removal"), TEXT_LIMIT, errors, True)
    if errors:
        raise ValidationError(errors)
    _cited_refusal(record, _("removed"))
    with transaction.atomic():
        locked = _locked(record, expected_version)
        _cited_refusal(locked, _("removed"))
        locked.removed_at = now
        locked.removed_by = actor
        locked.removal_reason = reason
        locked.version += 1
        locked.save(update_fields=["removed_at", "removed_by", "removal_reason", "version"])
        record_event(
            actor=actor,
            action="archive_record_removed",
            target=locked,
            before={
                "category": locked.category,
                "title": locked.title,
                "date": locked.date.isoformat(),
                "files": [f.original_name for f in locked.files.all()],
            },
            reason=reason,
        )
    return locked


def do_publish_report(
    record: ArchiveRecord, *, expected_version: int, actor: User, now: datetime | None = None
) -> ArchiveRecord:
    """A volunteer inspection's report made visible to residents on the public page."""
    _keeper(actor, record.unit)
    now = now or timezone.now()
    category = category_of(record.unit, record.category)
    if category is None or category.record != "inspection":
        raise _refuse(_("Only the reports of volunteer inspections are published."))
    with transaction.atomic():
        locked = _locked(record, expected_version)
        if locked.published_at is not None:
            raise _refuse(_("The report is already published."))
        locked.published_at = now
        locked.version += 1
        locked.save(update_fields=["published_at", "version"])
        record_event(
            actor=actor,
            action="archive_report_published",
            target=locked,
            after={"published_at": now.isoformat(), "title": locked.title},
        )
    return locked


def do_add_volunteer(
    unit: CreationUnit,
    *,
    name: str,
    contact: str,
    joined_on: date | None,
    actor: User,
    now: datetime | None = None,
) -> VolunteerMember:
    """A member of the unit's 低碳志愿者 team."""
    _keeper(actor, unit)
    now = now or timezone.now()
    errors: dict[str, list[str]] = {}
    name = _line(name, "name", _("member's name"), 100, errors, True)
    contact = _line(contact, "contact", _("contact"), 100, errors, False)
    if joined_on is None:
        errors["joined_on"] = [_("Give the day the member joined.")]
    elif joined_on > local_date(now):
        errors["joined_on"] = [
            _("The day {found} lies in the future (today is {today}).").format(
                found=joined_on.isoformat(), today=local_date(now).isoformat()
            )
        ]
    if errors:
        raise ValidationError(errors)
    assert joined_on is not None
    with transaction.atomic():
        member = VolunteerMember.objects.create(
            unit=unit, name=name, contact=contact, joined_on=joined_on, created_at=now
        )
        # The contact is private: the audit trail records that one was given, not what it is.
        record_event(
            actor=actor,
            action="archive_volunteer_added",
            target=member,
            after={
                "name": name,
                "joined_on": joined_on.isoformat(),
                "contact_given": bool(contact),
            },
        )
    return member
