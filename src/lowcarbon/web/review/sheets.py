"""The review's sheets from the stored scores: an expert's score sheet (专家评分表) from one
submitted revision of their answers, and the round's result sheet (评审结果汇总表) from the
ranking. The numbers are the scoring engine's (:func:`~lowcarbon.web.review.snapshots.score_of`
against the frozen snapshot) and the aggregation's (:mod:`lowcarbon.web.review.aggregate`);
the layout is :mod:`lowcarbon.documents.score_sheet`'s.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _

from lowcarbon.documents.score_sheet import (
    ExpertSheetContext,
    ResultEntry,
    ResultSheetContext,
    Sheet,
    expert_sheet,
    result_sheet,
    write_docx,
    write_pdf,
    write_xlsx,
)
from lowcarbon.web.applications import computing
from lowcarbon.web.applications.outlines import local
from lowcarbon.web.review.aggregate import ranking
from lowcarbon.web.review.models import Assignment, ExpertReviewRevision, round_settings
from lowcarbon.web.review.snapshots import score_of, snapshot_rubric, unit_name
from lowcarbon.web.rounds.models import Kind, Round

__all__ = [
    "FORMATS",
    "SheetFile",
    "expert_sheet_of",
    "render_sheet",
    "result_sheet_of",
    "sheet_name",
]

FORMATS = ("xlsx", "docx", "pdf")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def _now() -> str:
    return timezone.localtime().strftime("%Y-%m-%d %H:%M")


def _round_label(round_: Round) -> str:
    return _("{year} round").format(year=round_.year)


def _name(user: object) -> str:
    return str(user.get_full_name() or user.get_username())  # type: ignore[attr-defined]


def expert_sheet_of(assignment: Assignment, revision: ExpertReviewRevision) -> Sheet:
    """The expert's sheet of one revision: its answers scored again by the engine against the
    frozen submission (the stored main and bonus points are checked against the result, so a
    sheet never shows numbers that differ from the audited entry)."""
    submission = assignment.submission
    result = score_of(submission, revision.answers)
    if (result.main, result.bonus) != (revision.main_points, revision.bonus_points):
        # The rubric edition is pinned by its hash (snapshot_rubric), so this means stored data
        # was changed outside the actions: refuse rather than print a different number.
        raise ValueError(
            f"revision {revision.pk}: stored {revision.main_points}/{revision.bonus_points}, "
            f"scored {result.main}/{result.bonus}"
        )
    context = ExpertSheetContext(
        round_label=_round_label(assignment.panel.round),
        kind_label=str(Kind(assignment.application.kind).label),
        unit=unit_name(submission),
        panel=assignment.panel.name,
        expert=_name(assignment.expert),
        submission_number=submission.number,
        snapshot_sha256=submission.snapshot_sha256,
        revision=revision.number,
        revision_kind=revision.get_kind_display(),
        revision_at=timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M"),
        generated_at=_now(),
    )
    return expert_sheet(result, snapshot_rubric(submission), context, _, local)


def result_sheet_of(round_: Round, kind: str, *, named: bool) -> Sheet:
    """The round's results for ``kind`` in ranking order; experts named or as 专家A/B/C."""
    entries = []
    for entry in ranking(round_, kind):
        result = entry.subject.result
        experts = [
            (_name(a.expert), score.main + score.bonus)
            for a, score in zip(result.assignments, result.results, strict=True)
        ]
        decision = entry.subject.decision
        entries.append(
            ResultEntry(
                rank=entry.rank,
                tied=entry.tied,
                unit=entry.subject.application.unit.name,
                district=district.name
                if (district := entry.subject.application.unit.district)
                else "",
                experts=experts,
                main=entry.main,
                bonus=entry.bonus,
                total=entry.total,
                flags=[flag.message.render(_) for flag in result.flags],
                decision=decision.get_outcome_display() if decision else "",
                reasons=decision.reasons if decision else "",
                pending=result.pending,
            )
        )
    settings = round_settings(round_)
    edition = (round_.rubric_editions or {}).get(kind, "")
    with_bonus = bool(edition) and computing.rubric_of(kind, edition).declared_bonus is not None
    context = ResultSheetContext(
        round_label=_round_label(round_),
        kind_label=str(Kind(kind).label),
        method_label=str(settings.get_method_display()),
        with_bonus=with_bonus,
        named=named,
        generated_at=_now(),
    )
    return result_sheet(entries, context, _)


def sheet_name(*parts: object) -> str:
    """A download name from its parts (letters, digits and CJK kept)."""
    text = "-".join(str(p) for p in parts if str(p))
    return re.sub(r"[^\w\u4e00-\u9fff-]+", "_", text)[:120]


@dataclass(frozen=True)
class SheetFile:
    content: bytes
    content_type: str
    filename: str


def render_sheet(sheet: Sheet, fmt: str, stem: str) -> SheetFile:
    """The sheet as bytes in ``fmt``; ``PdfConversionError`` when no PDF can be made."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    with tempfile.TemporaryDirectory(prefix="lowcarbon-sheet-") as folder:
        out = Path(folder)
        if fmt == "xlsx":
            path = out / "sheet.xlsx"
            write_xlsx(sheet, path)
        elif fmt == "docx":
            path = out / "sheet.docx"
            write_docx(sheet, path, _)
        else:
            _docx, path = write_pdf(sheet, out, "sheet", _)
        return SheetFile(path.read_bytes(), CONTENT_TYPES[fmt], f"{stem}.{fmt}")
