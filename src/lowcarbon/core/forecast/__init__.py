"""Business-as-usual and plan scenarios to the target years (accounting-method.md §9).

附件2 一 gives 8 points for "对区域碳排放情况进行合理预测" and 附件2 三 asks for task reductions
that reconcile with the overall target. This package builds both trajectories that
:mod:`lowcarbon.core.targets` checks the targets against:

* **business as usual** (基准情景): every source of the base-year inventory follows the driver of
  its sector and declines with the autonomous efficiency gain η,
  ``E_BAU(s, t) = E_base(s) × D(s, t) / D(s, base) × (1 − η)^(t − base)``;
* **plan** (规划情景): ``E_plan(t) = E_BAU(t) − Σ ΔE_task(t)``. Each task ramps up linearly and
  the overlaps between tasks are removed (the double counting of §9).

The input is a :class:`Baseline` that the caller builds from the inventory; this package never
imports the inventory.

Arithmetic: every projected quantity is rounded to 10⁻⁶ of its unit (one gram of CO2). Because
of this rounding, sums of projected values are exact in Decimal arithmetic, and "plan ≤ BAU" and
"plan ≥ 0" hold exactly, not only up to rounding noise. Intermediate products and the
double-counting guard use exact fractions. Results are Decimals.

::

    LowcarbonError (core)
    └── ForecastError              the inputs cannot give a forecast
        ├── BaselineError          a base year that contradicts itself (negative emissions…)
        ├── DriverError            planned drivers or growth rates that cannot be used
        ├── ForecastYearError      a year before the base year, or one that was not projected
        └── TaskError              a task whose figures cannot be counted (ramp < 1…)

The package: :mod:`~.quantities` (rounding and naming), :mod:`~.errors`, :mod:`~.baseline`
(:class:`Baseline` and the input checks), :mod:`~.drivers`, :mod:`~.projection` (business as
usual, :func:`forecast_bau`), :mod:`~.double_counting` (the guard of §9) and :mod:`~.plan` (the
plan scenario, :func:`forecast_plan`).
"""

from __future__ import annotations

from .baseline import Baseline
from .drivers import SECTOR_DRIVERS, DriverKind, DriverValue
from .errors import BaselineError, DriverError, ForecastError, ForecastYearError, TaskError
from .plan import Overlap, PlanForecast, PlanYear, TaskEffect, forecast_plan, ramp_fraction
from .projection import SourceProjection, YearProjection, forecast_bau
from .quantities import ELECTRICITY_TCE_PER_KWH, PLACES, source_label, to_decimal

__all__ = [
    "ELECTRICITY_TCE_PER_KWH",
    "PLACES",
    "SECTOR_DRIVERS",
    "Baseline",
    "BaselineError",
    "DriverError",
    "DriverKind",
    "DriverValue",
    "ForecastError",
    "ForecastYearError",
    "Overlap",
    "PlanForecast",
    "PlanYear",
    "SourceProjection",
    "TaskEffect",
    "TaskError",
    "YearProjection",
    "forecast_bau",
    "forecast_plan",
    "ramp_fraction",
    "source_label",
    "to_decimal",
]
