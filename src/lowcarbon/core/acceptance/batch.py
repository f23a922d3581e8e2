"""One unit's figures on one line of the bureau's batch view."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .outcome import OutcomeDecision
from .rule import AcceptanceOutcome
from .score_comparison import _change
from .scores import PanelScores
from .task_comparison import PlanComparison

__all__ = ["BatchRow", "batch_row"]

# -- the batch, side by side ------------------------------------------------------------------


@dataclass(frozen=True)
class BatchRow:
    """One unit on the bureau's batch view; None where a figure is not there yet."""

    unit: str
    application_main: Decimal | None
    acceptance_main: Decimal | None
    outcome: AcceptanceOutcome | None
    planned_tco2: Decimal | None
    achieved_tco2: Decimal | None
    shortfall_tco2: Decimal | None
    flagged_tasks: int

    @property
    def change(self) -> Decimal | None:
        return _change(self.application_main, self.acceptance_main)


def batch_row(
    unit: str,
    *,
    application: PanelScores | None = None,
    decision: OutcomeDecision | None = None,
    plan: PlanComparison | None = None,
) -> BatchRow:
    """One unit's line: its application and acceptance main totals, outcome and task totals."""
    return BatchRow(
        unit,
        application.main if application else None,
        decision.main if decision else None,
        decision.outcome if decision else None,
        plan.totals.planned_tco2 if plan else None,
        plan.totals.achieved_tco2 if plan else None,
        plan.totals.shortfall_tco2 if plan else None,
        len(plan.flagged) if plan else 0,
    )
