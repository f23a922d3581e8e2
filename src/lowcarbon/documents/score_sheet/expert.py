"""An expert's score sheet (专家评分表) from the engine's result of one stored revision."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lowcarbon.core.messages import format_points, gettext_noop
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult

from ..official_sheet import official_table
from .sheet import Language, Sheet, SheetPart, SheetRow, Translate, _titles

# Full-width underscores leave room to sign by hand on the printed sheet.
_BLANK = "＿" * 10
_DATE_BLANK = "＿＿＿＿年＿＿月＿＿日"


@dataclass(frozen=True)
class ExpertSheetContext:
    """Where the scores come from: the application, the round, the expert and the revision."""

    round_label: str  # e.g. "2026年度"
    kind_label: str  # e.g. "低碳社区（近零碳排放社区）"
    unit: str
    panel: str
    expert: str
    submission_number: int
    snapshot_sha256: str
    revision: int
    revision_kind: str
    revision_at: str
    generated_at: str


def _explanation(result: Any, _: Translate, local: Language) -> str:
    """The expert's 评分说明 of one item: the criteria awarded (official text), the engine's
    notes (caps, constraints, "no evidence → 0"), the reason, the comment and the evidence."""
    lines = []
    awarded = [local(line.text) for line in result.lines if line.awarded]
    if awarded:
        lines.append(_(gettext_noop("Awarded: ")) + "；".join(awarded))
    lines.extend(note.render(_) for note in result.notes)
    if result.reason:
        lines.append(_(gettext_noop("Reason: ")) + result.reason)
    if result.comment:
        lines.append(_(gettext_noop("Comment: ")) + result.comment)
    if result.evidence:
        lines.append(_(gettext_noop("Evidence: ")) + "、".join(result.evidence))
    return "\n".join(lines)


def expert_sheet(
    result: ScoreResult,
    rubric: Rubric,
    context: ExpertSheetContext,
    _: Translate,
    local: Language,
    *,
    stage: str = "selection",
) -> Sheet:
    """One expert's sheet for one application, from the engine's result of their answers;
    ``stage`` (:data:`STAGES`) titles it for the selection review, the mid-term evaluation
    (中期评估评分表) or the acceptance (验收评分表)."""
    title, subtitle, _result_title, unit_label = _titles(stage)
    if result.rubric_ref != rubric.ref:
        raise ValueError(f"score of {result.rubric_ref} laid out with {rubric.ref}")
    official = official_table(
        rubric,
        {item.item.id: item.points for section in result.sections for item in section.items},
        {pool.pool.value: (pool.points, pool.maximum) for pool in result.pools},
        _,
        local,
        caption=_(gettext_noop("Part one: the score table of the indicator system")),
    )
    rows = [SheetRow(list(row.cells), kind=row.kind, span=row.span) for row in official.rows]
    explained: list[SheetRow] = []
    for section in result.sections:
        for item in section.items:
            explained.append(
                SheetRow(
                    [
                        item.item.id,
                        local(item.item.title),
                        _explanation(item, _, local) or "—",
                        item.points,
                    ]
                )
            )
        explained.append(
            SheetRow(
                [
                    "",
                    f"{section.section.label}、{local(section.section.title)}"
                    + _(gettext_noop(" (subtotal, at most {points})")).format(
                        points=format_points(section.maximum)
                    ),
                    "",
                    section.points,
                ],
                kind="subtotal",
            )
        )
    origin = _(
        gettext_noop(
            "Submission no. {number}, snapshot SHA-256 {sha}; revision {revision} ({kind}, {at})"
        )
    ).format(
        number=context.submission_number,
        sha=context.snapshot_sha256,
        revision=context.revision,
        kind=context.revision_kind,
        at=context.revision_at,
    )
    return Sheet(
        title=_(title),
        subtitle=_(subtitle).format(round=context.round_label),
        info=[
            (_(unit_label), context.unit),
            (_(gettext_noop("Kind")), context.kind_label),
            (_(gettext_noop("Indicator system")), f"{local(rubric.title)}（{rubric.source}）"),
            (_(gettext_noop("Panel")), context.panel),
            (_(gettext_noop("Expert")), context.expert),
            (_(gettext_noop("Scored from")), origin),
        ],
        caption=official.caption,
        header=list(official.header),
        rows=rows,
        numeric=frozenset({official.score_column}),
        widths=official.widths,
        notes=list(official.notes),
        parts=[
            SheetPart(
                caption=_(gettext_noop("Part two: the scoring explained item by item")),
                header=[
                    _(gettext_noop("No.")),
                    _(gettext_noop("Content evaluated")),
                    _(gettext_noop("Scoring explanation")),
                    _(gettext_noop("Score")),
                ],
                rows=explained,
                numeric=frozenset({3}),
                widths=(0.6, 3.0, 5.1, 0.9),
                notes=[
                    _(
                        gettext_noop(
                            "Generated by the platform from the expert's stored scores, "
                            "evaluated by the scoring engine against the frozen submission "
                            "({rubric}, SHA-256 {hash}); generated {at}."
                        )
                    ).format(
                        rubric=rubric.ref, hash=rubric.content_hash[:12], at=context.generated_at
                    ),
                ],
            )
        ],
        signature=_signature(_),
        properties={
            "title": _(title) + f" · {context.unit}",
            "keywords": f"snapshot-sha256:{context.snapshot_sha256} revision:{context.revision} "
            f"submission:{context.submission_number}",
            "description": origin,
        },
    )


def _signature(_: Translate) -> str:
    # Two lines: on one, the date would break inside its blanks (28 characters a line).
    return (
        _(gettext_noop("Expert's signature: "))
        + _BLANK
        + "\n"
        + _(gettext_noop("Date: "))
        + _DATE_BLANK
    )


def expert_letter(index: int) -> str:
    """专家A, 专家B … for the 0-based ``index`` (AA after Z, as spreadsheets count)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters
