"""The creation units' filings (issue 15 §3, §4), each write validated first, then one
transaction with a version check and one audit event:

* the unit starts a revision (the next number: the plan as last filed or submitted, a generated
  work plan, an empty progress report), edits it while it is a draft, attaches the year's
  activity workbook to a progress report, and files it — frozen with its SHA-256, marked late
  after the unit's due date (its extension, else the schedule's) or refused after the round's
  hard deadline;
* the unit's district or the bureau acknowledges it (确认收到: the schedule item is recorded
  as done, :func:`~lowcarbon.web.creation.actions.do_record_completion`) or returns it (退回)
  with a comment; either way a further revision is a new number, the earlier ones kept;
* the bureau sets the round's rule for late filings, with a reason.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lowcarbon.core.activity import AccountingInput
from lowcarbon.rules.snapshot import snapshot_data, snapshot_from_data
from lowcarbon.web import permissions
from lowcarbon.web.accounts.models import Role, User
from lowcarbon.web.applications.baseline import canonical_sha256
from lowcarbon.web.audit.recording import record_event
from lowcarbon.web.creation.actions import do_record_completion
from lowcarbon.web.creation.duties import DutyState
from lowcarbon.web.creation.filing_content import (
    TASK_STATUSES,
    initial_content,
    progress_figures,
    task_rows,
    text_elements,
)
from lowcarbon.web.creation.filing_models import (
    Filing,
    FilingKind,
    FilingPolicy,
    FilingStatus,
    LateFilings,
)
from lowcarbon.web.creation.models import (
    Completion,
    CreationUnit,
    Extension,
    LifecycleStatus,
    ScheduleItem,
)
from lowcarbon.web.creation.schedule import SHANGHAI, is_late, local_date, pattern_path
from lowcarbon.web.rounds.models import Round

__all__ = [
    "FILING_EVENT_LABELS",
    "TEXT_LIMIT",
    "FilingDuty",
    "can_file",
    "can_review_filing",
    "citing_filing",
    "do_attach_activity",
    "do_change_filing_policy",
    "do_delete_filing",
    "do_review_filing",
    "do_save_filing",
    "do_start_filing",
    "do_submit_filing",
    "filing_details",
    "filing_item",
    "filing_todos_for",
    "hard_deadline",
    "lateness",
    "policy_of",
    "unit_due",
]

TEXT_LIMIT = 20000
COMMENT_LIMIT = 2000
FINISHED = {LifecycleStatus.ACCEPTED, LifecycleStatus.FAILED}


# --- who may -----------------------------------------------------------------------------------


def can_file(user: Any, unit: CreationUnit) -> bool:
    """Starting, editing and filing: the unit's own people."""
    return permissions.is_own_unit(user, unit.application)


def can_review_filing(user: Any, unit: CreationUnit) -> bool:
    """Acknowledging or returning: the unit's district officers and the bureau."""
    return permissions.can_record_completion(user, unit)


# --- the round's rule and the unit's due date -------------------------------------------------


@cache
def _default_policy() -> tuple[str, int]:
    loaded = yaml.safe_load(pattern_path().read_text(encoding="utf-8"))
    late = loaded.get("late_filings") or {}
    return str(late.get("mode", LateFilings.ACCEPT)), int(late.get("grace_days", 0))


def policy_of(round_: Round) -> FilingPolicy:
    """The round's rule for late filings: as the bureau set it, else the default (not saved)."""
    found = FilingPolicy.objects.filter(round=round_).first()
    if found is not None:
        return found
    mode, grace = _default_policy()
    return FilingPolicy(round=round_, late_filings=mode, grace_days=grace, version=0)


def unit_due(unit: CreationUnit, item: ScheduleItem) -> datetime:
    """The unit's due date for ``item``: its latest extension, else the schedule's."""
    latest = Extension.objects.filter(unit=unit, item=item).order_by("-id").first()
    return latest.due_at if latest is not None else item.due_at


def hard_deadline(policy: FilingPolicy, due_at: datetime) -> datetime | None:
    """The last instant a filing is accepted (None: late filings are always accepted)."""
    if policy.late_filings == LateFilings.ACCEPT:
        return None
    return due_at + timedelta(days=policy.grace_days)


def lateness(
    unit: CreationUnit, item: ScheduleItem, now: datetime
) -> tuple[datetime, bool, datetime | None]:
    """The round's rule for late filings, for anything the unit hands in by ``item`` (a filing, a
    self-evaluation report): its due date, whether ``now`` is late, and the last instant it is
    accepted when ``now`` is past it (else None: on time, or late and accepted)."""
    due_at = unit_due(unit, item)
    late = is_late(now, due_at)
    last = hard_deadline(policy_of(unit.application.round), due_at)
    refused_after = last if late and last is not None and is_late(now, last) else None
    return due_at, late, refused_after


def filing_item(unit: CreationUnit, kind: str, year: int | None) -> ScheduleItem | None:
    """The schedule item whose due date a filing has: the final plan's; a year's work plan;
    for the progress report of a year, the next year's work plan (filed together)."""
    items = ScheduleItem.objects.filter(round_id=unit.application.round_id)
    if kind == FilingKind.FINAL_PLAN:
        found = items.filter(key="final_plan").first()
    elif kind == FilingKind.WORK_PLAN:
        found = items.filter(key="work_plan", year=year).first()
    elif kind == FilingKind.PROGRESS_REPORT and year is not None:
        found = items.filter(key="work_plan", year=year + 1).first()
    else:
        found = None
    if found is None or unit.kind not in found.kinds:
        return None
    return found


# --- helpers -----------------------------------------------------------------------------------


def _local(instant: datetime) -> str:
    return instant.astimezone(SHANGHAI).isoformat()


def _refuse(message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [message]})


def _stale() -> ValidationError:
    return _refuse(_("Someone changed this filing meanwhile; reload the page and try again."))


def _locked(filing: Filing, expected_version: int) -> Filing:
    locked = (
        Filing.objects.select_for_update()
        .select_related("unit", "unit__application", "item")
        .get(pk=filing.pk)
    )
    if locked.version != expected_version:
        raise _stale()
    return locked


def _summary(filing: Filing) -> dict[str, Any]:
    return {
        "kind": filing.kind,
        "year": filing.year,
        "number": filing.number,
        "status": filing.status,
    }


def citing_filing(record_type: str, record_id: object) -> Filing | None:
    """The first frozen filing whose snapshot cites the record (``cites``: type and id), for the
    deletes that must be refused while a frozen filing cites what they would remove."""
    wanted = {"type": record_type, "id": str(record_id)}
    for filing in Filing.objects.exclude(status=FilingStatus.DRAFT).select_related(
        "unit__application__unit"
    ):
        if wanted in (filing.snapshot.get("cites") or []):
            return filing
    return None


# --- the unit's side ---------------------------------------------------------------------------


def do_start_filing(
    unit: CreationUnit, *, kind: str, year: int | None, actor: User, now: datetime | None = None
) -> Filing:
    """The draft of the next revision (the existing draft if there is one)."""
    now = now or timezone.now()
    if not can_file(actor, unit):
        raise _refuse(_("Only the unit's own people file its plans and reports."))
    if unit.status in FINISHED:
        raise _refuse(_("The unit has finished its creation; it files nothing more."))
    if kind not in FilingKind.values:
        raise _refuse(_("'{kind}' is not a kind of filing.").format(kind=kind), "kind")
    if kind == FilingKind.FINAL_PLAN:
        year = None
    item = filing_item(unit, kind, year)
    if item is None:
        raise _refuse(
            _("The unit's schedule has no {filing} for the year {year}.").format(
                filing=FilingKind(kind).label, year=year or "—"
            ),
            "year",
        )
    with transaction.atomic():
        locked = CreationUnit.objects.select_for_update().get(pk=unit.pk)
        revisions = Filing.objects.filter(unit=locked, kind=kind, year=year)
        latest = revisions.order_by("-number").first()
        if latest is not None and latest.status == FilingStatus.DRAFT:
            return latest
        if latest is not None and latest.status == FilingStatus.SUBMITTED:
            raise _refuse(
                _(
                    "Revision {number} is filed and waits for the review; a new revision can be "
                    "started once it is acknowledged or returned."
                ).format(number=latest.number)
            )
        content = (
            copy.deepcopy(latest.content)
            if latest is not None
            else initial_content(locked, kind, year)
        )
        number = (revisions.aggregate(Max("number"))["number__max"] or 0) + 1
        filing = Filing.objects.create(
            unit=locked,
            kind=kind,
            year=year,
            item=item,
            number=number,
            content=content,
            created_by=actor,
            created_at=now,
        )
        record_event(
            actor=actor, action="creation_filing_started", target=filing, after=_summary(filing)
        )
    return filing


def _editable(filing: Filing, actor: User) -> None:
    if not can_file(actor, filing.unit):
        raise _refuse(_("Only the unit's own people file its plans and reports."))
    if filing.status != FilingStatus.DRAFT:
        raise _refuse(
            _("Revision {number} was filed on {date} and is frozen; start a new revision.").format(
                number=filing.number,
                date=local_date(filing.submitted_at).isoformat() if filing.submitted_at else "—",
            )
        )


def _text(value: Any, label: str, errors: dict[str, list[str]], field: str) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_LIMIT:
        errors.setdefault(field, []).append(
            _("{label} has {found} characters; at most {limit} are kept.").format(
                label=label, found=len(text), limit=TEXT_LIMIT
            )
        )
    return text


def do_save_filing(
    filing: Filing, *, fields: dict[str, Any], expected_version: int, actor: User
) -> Filing:
    """Save the draft's text: a plan's narrative elements (``section_<id>``), a work plan's parts
    (``part_<n>``), a progress report's summary and each task's status and note."""
    _editable(filing, actor)
    errors: dict[str, list[str]] = {}
    content = copy.deepcopy(filing.content)
    if filing.kind == FilingKind.FINAL_PLAN:
        sections = content.setdefault("sections", {})
        from lowcarbon.web.applications.narrative import to_plain_text

        for element_id, _section, label in text_elements(filing.unit):
            key = f"section_{element_id}"
            if key not in fields:
                continue
            text = _text(fields[key], label, errors, key)
            old = sections.get(element_id)
            if text == to_plain_text(old or "") and old is not None:
                continue
            sections[element_id] = text
    elif filing.kind == FilingKind.WORK_PLAN:
        for index, part in enumerate(content.get("parts") or [], start=1):
            key = f"part_{index}"
            if key in fields:
                part["text"] = _text(fields[key], part["title"], errors, key)
    else:
        if "summary" in fields:
            content["summary"] = _text(fields["summary"], _("Summary"), errors, "summary")
        for index, task in enumerate(content.get("tasks") or [], start=1):
            status = fields.get(f"task_{index}_status")
            if status is not None:
                if status not in TASK_STATUSES:
                    errors.setdefault(f"task_{index}_status", []).append(
                        _("Task {number}: the status '{found}' is not one of: {expected}.").format(
                            number=index, found=status, expected="、".join(TASK_STATUSES.values())
                        )
                    )
                else:
                    task["status"] = status
            note = fields.get(f"task_{index}_note")
            if note is not None:
                task["note"] = _text(note, task["name"], errors, f"task_{index}_note")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(filing, expected_version)
        _editable(locked, actor)
        locked.content = content
        locked.version += 1
        locked.save(update_fields=["content", "version"])
        record_event(
            actor=actor, action="creation_filing_saved", target=locked, after=_summary(locked)
        )
    return locked


def do_attach_activity(
    filing: Filing,
    activity: AccountingInput,
    *,
    file_name: str,
    expected_version: int,
    actor: User,
) -> Filing:
    """A progress report's year accounted from the uploaded activity workbook (the baseline
    workbook's format); refused, nothing saved, when the data cannot be accounted."""
    _editable(filing, actor)
    if filing.kind != FilingKind.PROGRESS_REPORT or filing.year is None:
        raise _refuse(_("Only a progress report takes the year's activity data."))
    unit = filing.unit
    if activity.profile.kind.value != unit.kind:
        raise _refuse(
            _("The workbook is for a {found}, this unit is a {expected}.").format(
                found=activity.profile.kind.value, expected=unit.kind_label
            ),
            "workbook",
        )
    from lowcarbon.web.creation.filing_content import base_plan

    data, figures = progress_figures(base_plan(unit), activity, filing.year)
    with transaction.atomic():
        locked = _locked(filing, expected_version)
        _editable(locked, actor)
        content = copy.deepcopy(locked.content)
        content["activity"] = {"file": file_name[:255], "data": data, "figures": figures}
        locked.content = content
        locked.version += 1
        locked.save(update_fields=["content", "version"])
        record_event(
            actor=actor,
            action="creation_filing_activity",
            target=locked,
            after=_summary(locked) | {"file": file_name[:255], "total_tco2": figures["total_tco2"]},
        )
    return locked


def _frozen(filing: Filing) -> dict[str, Any]:
    """What a revision freezes: the plan (the submission's snapshot shape, its sections the
    revised ones) with the generated task list; a work plan's parts; a progress report."""
    unit = filing.unit
    cites: list[dict[str, str]] = [
        {"type": "applications.Submission", "id": str(unit.submission_id)}
    ]
    frozen: dict[str, Any] = {
        "kind": filing.kind,
        "year": filing.year,
        "number": filing.number,
        "unit": {"id": unit.pk, "name": unit.application.unit.name},
        "based_on": {
            "submission": unit.submission.number,
            "snapshot_sha256": unit.submission.snapshot_sha256,
        },
    }
    if filing.kind == FilingKind.FINAL_PLAN:
        plan = copy.deepcopy(unit.submission.snapshot)
        plan["sections"] = filing.content.get("sections") or {}
        # Read back as the readers of a snapshot read it: the same shape, checked.
        plan = snapshot_data(snapshot_from_data(plan, source="plan"))
        frozen["plan"] = plan
        frozen["task_list"] = task_rows(plan)
    else:
        frozen["content"] = copy.deepcopy(filing.content)
        for task in filing.content.get("tasks") or []:
            if task.get("id") is not None:
                cites.append({"type": "applications.ApplicationTask", "id": str(task["id"])})
    frozen["cites"] = cites
    return frozen


def do_submit_filing(
    filing: Filing, *, expected_version: int, actor: User, now: datetime | None = None
) -> Filing:
    """File the draft: frozen with its SHA-256; late after the unit's due date (accepted and
    marked, or refused after the round's hard deadline)."""
    now = now or timezone.now()
    _editable(filing, actor)
    unit = filing.unit
    if filing.kind == FilingKind.PROGRESS_REPORT and not (filing.content.get("activity") or {}):
        raise _refuse(
            _("Upload the year's activity workbook first: the report states the year's inventory."),
            "workbook",
        )
    due_at, late, last = lateness(unit, filing.item, now)
    if last is not None:
        raise _refuse(
            _(
                "The {filing} was due on {due}; this round accepts late filings until {last} and "
                "refuses them after. Ask the municipal bureau for an extension."
            ).format(
                filing=FilingKind(filing.kind).label,
                due=local_date(due_at).isoformat(),
                last=local_date(last).isoformat(),
            )
        )
    frozen = _frozen(filing)
    digest = canonical_sha256(frozen)
    with transaction.atomic():
        locked = _locked(filing, expected_version)
        _editable(locked, actor)
        locked.snapshot = frozen
        locked.snapshot_sha256 = digest
        locked.status = FilingStatus.SUBMITTED
        locked.submitted_by = actor
        locked.submitted_at = now
        locked.due_at = due_at
        locked.late = late
        locked.version += 1
        locked.save()
        stored = Filing.objects.values_list("snapshot", flat=True).get(pk=locked.pk)
        if canonical_sha256(stored) != digest:
            raise _refuse(_("The frozen filing did not read back identically; nothing was filed."))
        record_event(
            actor=actor,
            action="creation_filing_submitted",
            target=locked,
            after=_summary(locked)
            | {"snapshot_sha256": digest, "late": late, "due_at": _local(due_at)},
        )
    return locked


def do_delete_filing(filing: Filing, *, actor: User) -> None:
    """A draft revision can be thrown away; a filed one is kept for good."""
    if not can_file(actor, filing.unit):
        raise _refuse(_("Only the unit's own people file its plans and reports."))
    if filing.status != FilingStatus.DRAFT:
        raise _refuse(
            _("“{filing}” was filed and is frozen: it cannot be deleted.").format(
                filing=filing.title
            )
        )
    with transaction.atomic():
        locked = Filing.objects.select_for_update().get(pk=filing.pk)
        if locked.status != FilingStatus.DRAFT:
            raise _stale()
        record_event(
            actor=actor, action="creation_filing_deleted", target=locked, before=_summary(locked)
        )
        locked.delete()


# --- the reviewer's side ------------------------------------------------------------------------


def do_review_filing(
    filing: Filing,
    *,
    acknowledge: bool,
    comment: str,
    expected_version: int,
    actor: User,
    now: datetime | None = None,
) -> Filing:
    """Acknowledge (确认收到; a work plan or the final plan records its schedule item as done)
    or return (退回, with the reason) a filed revision."""
    now = now or timezone.now()
    unit = filing.unit
    if not can_review_filing(actor, unit):
        raise _refuse(
            _("Only the unit's district officers and the municipal bureau review filings.")
        )
    comment = (comment or "").strip()
    errors: dict[str, list[str]] = {}
    if not acknowledge and not comment:
        errors["comment"] = [_("Say why the filing is returned: the unit revises it from this.")]
    elif len(comment) > COMMENT_LIMIT:
        errors["comment"] = [
            _("The comment has {found} characters; at most {limit} are kept.").format(
                found=len(comment), limit=COMMENT_LIMIT
            )
        ]
    if filing.status != FilingStatus.SUBMITTED:
        errors["__all__"] = [
            _("Revision {number} is {status}; only a filed revision is reviewed.").format(
                number=filing.number, status=FilingStatus(filing.status).label
            )
        ]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = _locked(filing, expected_version)
        if locked.status != FilingStatus.SUBMITTED:
            raise _stale()
        locked.status = FilingStatus.ACKNOWLEDGED if acknowledge else FilingStatus.RETURNED
        locked.reviewed_by = actor
        locked.reviewed_at = now
        locked.review_comment = comment
        if acknowledge and locked.kind != FilingKind.PROGRESS_REPORT:
            existing = Completion.objects.filter(unit=locked.unit, item=locked.item).first()
            if existing is None:
                assert locked.submitted_at is not None
                existing = do_record_completion(
                    locked.unit,
                    locked.item,
                    completed_on=min(local_date(locked.submitted_at), local_date(now)),
                    note=_("{filing} acknowledged.").format(filing=locked.title),
                    actor=actor,
                    now=now,
                )
            locked.completion = existing
        locked.version += 1
        locked.save()
        record_event(
            actor=actor,
            action="creation_filing_acknowledged" if acknowledge else "creation_filing_returned",
            target=locked,
            after=_summary(locked),
            reason=comment,
        )
    return locked


def do_change_filing_policy(
    round_: Round,
    *,
    late_filings: str,
    grace_days: int,
    reason: str,
    expected_version: int,
    actor: User,
) -> FilingPolicy:
    """The bureau's rule for the round's late filings, with its reason."""
    if not permissions.can_manage_creation_schedule(actor):
        raise _refuse(_("Only the municipal bureau sets the schedule."))
    errors: dict[str, list[str]] = {}
    if late_filings not in LateFilings.values:
        errors["late_filings"] = [
            _("'{found}' is not a rule for late filings; expected: {expected}.").format(
                found=late_filings, expected="、".join(str(c.label) for c in LateFilings)
            )
        ]
    if not 0 <= grace_days <= 366:
        errors["grace_days"] = [_("{found} days: give 0 to 366 days.").format(found=grace_days)]
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = [_("Give the reason for the change.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Round.objects.select_for_update().get(pk=round_.pk)
        current = policy_of(round_)
        if current.version != expected_version:
            raise _stale()
        before = {"late_filings": current.late_filings, "grace_days": current.grace_days}
        if current.pk is None:
            current.version = 0
        current.late_filings = late_filings
        current.grace_days = grace_days
        current.version += 1
        current.save()
        record_event(
            actor=actor,
            action="creation_filing_policy_changed",
            target=round_,
            before=before,
            after={"late_filings": late_filings, "grace_days": grace_days},
            reason=reason[:COMMENT_LIMIT],
        )
    return current


# --- to-dos --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FilingDuty:
    """A filed revision waiting for the reviewer's acknowledgement or return (state REVIEW)."""

    filing: Filing
    due_at: datetime
    state: DutyState

    @property
    def unit(self) -> CreationUnit:
        return self.filing.unit


def filing_todos_for(user: Any, now: datetime) -> list[FilingDuty]:
    """The filed revisions waiting for ``user``'s review: the district officers' for their
    district's units, the bureau's for every unit; by filing time."""
    if not permissions.has_role(user, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR):
        return []
    units = permissions.visible_creation_units(user)
    waiting = (
        Filing.objects.filter(unit__in=units, status=FilingStatus.SUBMITTED)
        .select_related(
            "unit",
            "unit__application",
            "unit__application__unit",
            "unit__application__round",
            "item",
        )
        .order_by("submitted_at", "pk")
    )
    return [FilingDuty(f, f.due_at or f.item.due_at, DutyState.REVIEW) for f in waiting]


# --- the unit's history ------------------------------------------------------------------------

FILING_EVENT_LABELS = {
    "creation_filing_started": gettext_lazy("filing: revision started"),
    "creation_filing_saved": gettext_lazy("filing: draft saved"),
    "creation_filing_activity": gettext_lazy("filing: activity data of the year computed"),
    "creation_filing_submitted": gettext_lazy("filing: revision filed"),
    "creation_filing_returned": gettext_lazy("filing: returned"),
    "creation_filing_acknowledged": gettext_lazy("filing: acknowledged"),
    "creation_filing_deleted": gettext_lazy("filing: draft deleted"),
}


def filing_details(summary: dict[str, Any]) -> list[str]:
    """What the unit's history says of a filing's event (its audit summary)."""
    details = []
    if summary.get("kind") in FilingKind.values:
        year = f"{summary['year']} " if summary.get("year") else ""
        details.append(f"{year}{FilingKind(summary['kind']).label}")
    if summary.get("number"):
        details.append(_("revision {number}").format(number=summary["number"]))
    if summary.get("status") in FilingStatus.values:
        details.append(str(FilingStatus(summary["status"]).label))
    if summary.get("late"):
        details.append(_("filed late"))
    return details
