"""Tasks and key projects of an application: adding, changing, removing, tracking, and the
forms the rest of the platform reads them in (one source, :mod:`..task_models`).

**What reads the records.** The accounting input's ``tasks`` and ``reductions`` are written from
the records on every change, in the same transaction, and checked by the accounting engine like
any save of baseline data (:func:`accounting_form`); the plan's task lists and key-project
tables (三、2./三、3.) are written from them likewise (:func:`plan_values`). Snapshots, documents
and pages read those derived forms, so a submission freezes the records' planning content with
the rest; the snapshot also keeps the records themselves (its ``tasks``: responsible unit,
content, years, budget …, not their progress), which the task list reads by task number.
Snapshots made before the records existed read as before.

**The workbook.** Importing the accounting workbook fills the records from its task sheet and
its 减排测算 sheet (:func:`merge_workbook_tasks`): a workbook task is the record of the same name
(the task list's rule, :func:`lowcarbon.documents.task_list.same_task`), else the record of the
same task number; what the workbook says (name, field, what it acts on, stated reduction, years,
flags, activities) replaces the record's, what only the editor holds (content, responsible unit,
end year, budget, progress) is kept, and records the workbook does not name stay.

**Tracking.** During creation the unit records each task's status, percent complete, achieved
reduction and a note (:func:`do_track_task`); :func:`task_progress` sums them for a unit.

The package: :mod:`.derived` writes the forms the rest of the platform reads,
:mod:`.checks` refuses what does not fit, :mod:`.actions` holds the audited actions (adding,
changing, removing, tracking), :mod:`.workbook` merges the accounting workbook's tasks, and
:mod:`.progress` sums a unit's tracking.
"""

from .actions import (
    TASK_ADDED,
    TASK_CHANGED,
    TASK_PROGRESS_RECORDED,
    TASK_REMOVED,
    do_add_task,
    do_change_task,
    do_remove_task,
    do_track_task,
)
from .checks import TaskValues, task_refusals, tracking_refusals
from .derived import accounting_form, sync_plan
from .progress import TaskProgress, planned_reductions, task_progress
from .workbook import merge_workbook_tasks

__all__ = [
    "TASK_ADDED",
    "TASK_CHANGED",
    "TASK_PROGRESS_RECORDED",
    "TASK_REMOVED",
    "TaskProgress",
    "TaskValues",
    "accounting_form",
    "do_add_task",
    "do_change_task",
    "do_remove_task",
    "do_track_task",
    "merge_workbook_tasks",
    "planned_reductions",
    "sync_plan",
    "task_progress",
    "task_refusals",
    "tracking_refusals",
]
