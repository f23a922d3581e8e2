"""The annual work plan (年度工作计划) of one year, from the same data as the plan.

A creation area works to its plan year by year; the district asks each year for the work plan
of the coming year. It says, for that year:

* **the targets** — the staged targets of the baseline data for that year (附件2 三 "针对总体
  目标和分项指标，制定分阶段目标"), with what the plan forecast reaches, and the rows of the
  outline's indicator system (``indicator_system``, 附件1/附件3 三、1.) whose staged or final target
  year it is. When no target falls in the year, the next staged targets are shown as such;
* **the tasks and projects under way** — every entry of the task list
  (:mod:`lowcarbon.documents.task_list`, whose rule for matching the sources applies) whose start
  year is not after the year and whose completion year is not before it. The completion year is
  the later of the key project's end year and the schedule's last end date, else the year a task
  of the baseline data reaches its full effect (start year + ramp − 1: after it, the task works
  without further construction). Entries without any year (a list item that matches no task)
  cannot be scheduled; they are named in a note and a warning;
* **the schedule by quarter** — the stages of ``project_schedule`` (附件1 三、3. 进度安排) that
  overlap the year, with the quarters they cover;
* **the expected reduction** — the plan forecast's year row (business as usual, task
  reductions after removing double counting, plan emissions) and each task's counted effect
  that year, from :func:`lowcarbon.core.accounting.run_accounting`.

The package: :mod:`.contents` gathers what the work plan says for its year, :mod:`.grids`
lays each part out as a table, and :mod:`.document` writes the Word document.
"""

from .contents import (
    ActiveEntry,
    IndicatorStage,
    Translate,
    WorkPlan,
    YearTarget,
    build_work_plan,
    quarters,
)
from .document import work_plan_blocks, write_work_plan
from .grids import shown_reached, work_plan_grids

__all__ = [
    "ActiveEntry",
    "IndicatorStage",
    "Translate",
    "WorkPlan",
    "YearTarget",
    "build_work_plan",
    "quarters",
    "shown_reached",
    "work_plan_blocks",
    "work_plan_grids",
    "write_work_plan",
]
