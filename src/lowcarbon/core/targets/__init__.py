"""Targets checked against the plan scenario (附件2 三, 30 points; accounting-method.md §7, §9).

附件2 三 gives 5 points each for an overall target (强度或总量控制), sub-indicators, staged targets,
a breakdown to domains, reductions of the main tasks, and the consistency of those reductions
with the overall target (主要低碳发展任务碳减排量与低碳发展总体目标衔接). This package computes,
for every :class:`~lowcarbon.core.activity.Target`:

* the value the plan reaches in the target year, pass or fail, and the margin (thresholds are
  inclusive: a decline of exactly the target passes);
* for emission targets, the **required reduction** against business as usual (BAU minus the
  largest emission that meets the target), the tasks' counted reductions that year and the gap;

and for the whole set of targets: the staged targets of each kind and whether they tighten
towards the final one, the **consistency** verdict, and the **decomposition** of the final
year's required reduction to domains and tasks.

Pass or fail is decided in exact rational arithmetic, so a target met exactly is never failed
by rounding. Figures are returned as Decimals; messages show them rounded.

::

    ForecastError (core.forecast)
    └── TargetError                a target that cannot be checked
        ├── TargetYearError        a target year before the base year, or not projected
        ├── TargetValueError       a value out of range, or two targets of one kind and year
        └── DenominatorError       zero population for per-capita, no GDP for intensity…

The package: :mod:`~.kinds` (kinds of target, names, units), :mod:`~.errors`, :mod:`~.report`
(the result types), :mod:`~.inputs` (the checks of the inputs), :mod:`~.checks` (one target,
and :func:`check_targets`), :mod:`~.staged` and :mod:`~.reconciliation` (consistency and
decomposition).
"""

from __future__ import annotations

from .checks import check_targets
from .errors import DenominatorError, TargetError, TargetValueError, TargetYearError
from .kinds import AT_LEAST, EMISSION_KINDS
from .report import Decomposition, Requirement, Share, StagedTargets, TargetCheck, TargetReport

__all__ = [
    "AT_LEAST",
    "EMISSION_KINDS",
    "Decomposition",
    "DenominatorError",
    "Requirement",
    "Share",
    "StagedTargets",
    "TargetCheck",
    "TargetError",
    "TargetReport",
    "TargetValueError",
    "TargetYearError",
    "check_targets",
]
