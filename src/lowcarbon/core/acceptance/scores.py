"""The panel's aggregated scores of one creation unit, item by item and section by section."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from ..aggregation import Aggregate
from ..rubric import ZERO, Pool
from ..scoring import ScoreResult
from ..text import LocalText

__all__ = ["ItemScore", "PanelScores", "SectionScore", "panel_scores"]

# -- the scores the rule reads ----------------------------------------------------------------


@dataclass(frozen=True)
class ItemScore:
    """One item's points (one expert's, or the panel's aggregate) and its maximum."""

    id: str
    section: str
    title: LocalText
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class SectionScore:
    id: str
    label: str  # 一, 二 … as the rubric prints it
    title: LocalText
    pool: Pool
    points: Decimal
    maximum: Decimal


@dataclass(frozen=True)
class PanelScores:
    """A score as the outcome and the comparisons read it, from one expert's
    :class:`ScoreResult` or the panel's :class:`Aggregate` (see :func:`panel_scores`)."""

    rubric_ref: str
    main: Decimal
    main_maximum: Decimal
    bonus: Decimal
    bonus_maximum: Decimal
    sections: tuple[SectionScore, ...]
    items: tuple[ItemScore, ...]

    def section(self, section_id: str) -> SectionScore | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def item(self, item_id: str) -> ItemScore | None:
        return next((i for i in self.items if i.id == item_id), None)


def panel_scores(score: ScoreResult | Aggregate) -> PanelScores:
    """The figures of one expert's score or of the panel's aggregate, in rubric order."""
    sections: list[SectionScore] = []
    items: list[ItemScore] = []
    if isinstance(score, Aggregate):
        for section in score.sections:
            sections.append(
                SectionScore(
                    section.section.id,
                    section.section.label,
                    section.section.title,
                    section.section.pool,
                    section.scores.points,
                    section.maximum,
                )
            )
            items.extend(
                ItemScore(i.item.id, section.section.id, i.item.title, i.scores.points, i.maximum)
                for i in section.items
            )
        pools = {p.pool: p.maximum for p in score.pools}
    else:
        for result in score.sections:
            sections.append(
                SectionScore(
                    result.section.id,
                    result.section.label,
                    result.section.title,
                    result.section.pool,
                    result.points,
                    result.maximum,
                )
            )
            items.extend(
                ItemScore(i.item.id, result.section.id, i.item.title, i.points, i.maximum)
                for i in result.items
            )
        pools = {p.pool: p.maximum for p in score.pools}
    return PanelScores(
        score.rubric_ref,
        score.main,
        pools.get(Pool.MAIN, ZERO),
        score.bonus,
        pools.get(Pool.BONUS, ZERO),
        tuple(sections),
        tuple(items),
    )
