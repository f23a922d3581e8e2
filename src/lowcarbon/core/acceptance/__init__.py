"""Mid-term evaluation (中期评估) and final acceptance (验收): the outcome and the comparisons.

**The outcome.** A panel scores a creation unit against the same indicator system that selected
it (附件2 for zones, 附件4 for communities); :func:`decide_outcome` turns the panel's aggregated
score into one of three outcomes, 通过 / 整改后复验 / 未通过, under an :class:`AcceptanceRule`, a
round setting read from ``data/evaluation/acceptance_rules.yaml``. The programme's documents
state no pass rule; the rule chosen (docs/rules.md, "Acceptance outcome") is:

* **passed** when the main total reaches the pass mark *and* every pass condition holds: each
  listed section reaches its minimum share and no listed key item scores 0;
* **reinspect** (rectify, then re-inspect) when the main total reaches the rectification mark
  but the unit has not passed: a low total, a weak section or a key item at 0 can be put right;
* **failed** below the rectification mark.

Marks are **shares of the maximum of the main pool** (0.80 means 80 % of it), never points:
附件4 has 100 main points and a separate bonus pool of 20, 附件2 has 100 points and no bonus,
and a later edition may have other maxima; a share keeps the rule's meaning across editions.
Every message shows the mark in points as well. The **bonus pool is not counted**: 加分项 reward
extras (funds, monitoring systems, innovation) and must not make up for the core work the main
indicator system asks of every unit. Marks are inclusive (a total exactly at the mark reaches
it) and compared in exact decimal arithmetic.

Raising any score never worsens the outcome: each condition only asks for more points.

**The comparisons.** :func:`compare_scores` sets the application's (selection) score beside the
acceptance score item by item and section by section, matched by id so that two rubric editions
can be compared (an item of only one edition is marked as such); :func:`compare_tasks` sets each
task's planned annual reduction beside the reduction achieved, with the shortfall, the share
done and a note where a row looks wrong; :func:`batch_row` puts one unit's figures on one line of
the bureau's batch view.

::

    LowcarbonError (core)
    └── AcceptanceError            a rule, scores or tasks that cannot be compared

The package: :mod:`.rule` holds the rule, the outcomes and the error, :mod:`.scores` the
panel's scores, :mod:`.outcome` the decision, :mod:`.score_comparison` and
:mod:`.task_comparison` the two comparisons, and :mod:`.batch` the line of the batch view.
"""

from .batch import BatchRow, batch_row
from .outcome import Check, CheckKind, OutcomeDecision, decide_outcome
from .rule import (
    HUNDRED,
    ONE,
    STAGES,
    AcceptanceError,
    AcceptanceOutcome,
    AcceptanceRule,
    SectionMinimum,
)
from .score_comparison import (
    ItemComparison,
    Presence,
    ScoreComparison,
    SectionComparison,
    compare_scores,
)
from .scores import ItemScore, PanelScores, SectionScore, panel_scores
from .task_comparison import (
    FAR_ABOVE_PLAN_FACTOR,
    TASK_STATUSES,
    PlanComparison,
    TaskFlag,
    TaskProgress,
    TaskRow,
    TaskTotals,
    compare_tasks,
)

__all__ = [
    "FAR_ABOVE_PLAN_FACTOR",
    "HUNDRED",
    "ONE",
    "STAGES",
    "TASK_STATUSES",
    "AcceptanceError",
    "AcceptanceOutcome",
    "AcceptanceRule",
    "BatchRow",
    "Check",
    "CheckKind",
    "ItemComparison",
    "ItemScore",
    "OutcomeDecision",
    "PanelScores",
    "PlanComparison",
    "Presence",
    "ScoreComparison",
    "SectionComparison",
    "SectionMinimum",
    "SectionScore",
    "TaskFlag",
    "TaskProgress",
    "TaskRow",
    "TaskTotals",
    "batch_row",
    "compare_scores",
    "compare_tasks",
    "decide_outcome",
    "panel_scores",
]
