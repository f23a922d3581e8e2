"""What an implementation plan is written from: the application's data, its accounting and its
self-assessment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from lowcarbon.core.accounting import AccountingResult, run_accounting
from lowcarbon.core.outline import Outline
from lowcarbon.core.rubric import Rubric
from lowcarbon.core.scoring import ScoreResult
from lowcarbon.rules.application_file import ApplicationFile
from lowcarbon.rules.factors import load_factor_library
from lowcarbon.rules.snapshot import TaskRecord

from ..blocks import Block

Translate = Callable[[str], str]
Language = Callable[[Any], str]  # LocalText -> text in the document's language


@dataclass(frozen=True)
class ScoreLine:
    item_id: str
    title: str
    points: Decimal
    maximum: Decimal
    unanswered: bool = False


@dataclass(frozen=True)
class ScoreSheet:
    """The self-assessment as the plan's annex shows it: item by item, then each pool."""

    lines: tuple[ScoreLine, ...]
    pools: tuple[tuple[str, Decimal, Decimal], ...]  # (pool id, points, maximum)
    # The indicator system scored against: the annex is its official table.
    rubric: Rubric


def score_sheet(result: ScoreResult, local: Language, rubric: Rubric | None = None) -> ScoreSheet:
    """The annex of a score computed now (against ``rubric``, the bundled edition of the
    result's indicator system when not given)."""
    if rubric is None:
        from lowcarbon.rules.schemes import load_rubric  # read only when not given

        scheme, edition = result.rubric_ref.split("/", 1)
        rubric = load_rubric(scheme, edition)
    return ScoreSheet(
        tuple(
            ScoreLine(r.item.id, local(r.item.title), r.points, r.maximum)
            for section in result.sections
            for r in section.items
        ),
        tuple((p.pool.value, p.points, p.maximum) for p in result.pools),
        rubric,
    )


def score_sheet_from_data(data: Mapping[str, Any], rubric: Rubric, local: Language) -> ScoreSheet:
    """The annex of a frozen score (a snapshot's ``score``: decimals stored as strings)."""
    items = data.get("items") or {}
    lines = []
    for item in rubric.items():
        entry = items.get(item.id)
        if entry is None:
            continue
        lines.append(
            ScoreLine(
                item.id,
                local(item.title),
                Decimal(str(entry["points"])),
                Decimal(str(entry["maximum"])),
                entry.get("status") == "unanswered",
            )
        )
    pools = tuple(
        (pool, Decimal(str(value["points"])), Decimal(str(value["maximum"])))
        for pool, value in (data.get("pools") or {}).items()
    )
    return ScoreSheet(tuple(lines), pools, rubric)


@dataclass(frozen=True)
class PlanInput:
    """Everything a plan is written from (read by the caller; this module does no lookups)."""

    outline: Outline
    sections: Mapping[str, Any]  # element id -> value, as the workspace stores them
    unit_name: str
    scheme: str  # "zone" | "community"
    round_year: int
    accounting: AccountingResult | None = None
    score: ScoreSheet | None = None
    issued: date = field(default_factory=date.today)
    # "draft", or the submission it was frozen in, with the snapshot's hash.
    submission_number: int | None = None
    snapshot_sha256: str = ""
    # The task records frozen with the snapshot; None when it has none (written before them).
    tasks: tuple[TaskRecord, ...] | None = None
    # Chart images (PNG) by name: "map" (else drawn from the boundary's geometry),
    # "structure" and "trend" (else drawn from the accounting result), "schedule" (else drawn
    # from the schedule table); nothing is drawn when ``draw_charts`` is off.
    charts: Mapping[str, bytes] = field(default_factory=dict)
    draw_charts: bool = True


@dataclass(frozen=True)
class PlanDocument:
    fields: dict[str, str]
    blocks: tuple[Block, ...]
    warnings: tuple[str, ...]


def plan_input_from_file(
    exported: ApplicationFile, local: Language, *, draw_charts: bool = True
) -> PlanInput:
    """The plan's input from an exported application (a snapshot read back): the accounting is
    recomputed from the frozen inputs under the frozen factor set (the reader has checked that
    the bundled edition has the recorded content), the score annex comes from the frozen score.

    The command line and the web platform both go through here, so a document made from the
    same snapshot is the same wherever it is made."""
    return PlanInput(
        outline=exported.outline,
        sections=exported.sections,
        unit_name=exported.unit_name,
        scheme=exported.kind,
        round_year=exported.round_year,
        accounting=None
        if exported.accounting is None
        else run_accounting(exported.accounting, load_factor_library()),
        score=None
        if not exported.score
        else score_sheet_from_data(exported.score, exported.rubric, local),
        submission_number=exported.submission_number,
        snapshot_sha256=exported.snapshot_sha256,
        tasks=exported.snapshot.tasks,
        draw_charts=draw_charts,
    )
