"""The task list (任务清单): every main task and key project of an application, by field.

The bureau circulates the tasks of a creation area as one table — 序号, 领域, 任务/项目名称,
主要内容, 责任单位, 完成时限, 预期减排量（tCO₂/年）, 是否重点项目/近零碳示范 — grouped by field with
subtotals and a total. It restates what the plan already contains, so it is built from the same
data and never retyped:

* the tasks of the baseline data (``accounting.tasks``: name, domain, start year, ramp, expected
  annual reduction, key project and near-zero flags) — 附件2 三 "对主要低碳发展任务提出碳排放减量";
* the zone outline's table of key projects (``key_projects``, 附件1 三、3.: content, implementer,
  start and end year, expected reduction), its list of near-zero-carbon demonstration projects
  (``near_zero_carbon_projects``) and its schedule (``project_schedule``: stages with dates);
* the task lists per field of both outlines (zone 三、2. ``tasks_energy`` …, 附件1 三、2.;
  community 三、3. ``tasks_organisation`` …, 附件3 三、3.).

**Matching the sources.** The same task often appears in several of them under slightly
different names ("既有公共建筑节能改造（20万m²）" in the baseline data, "既有公共建筑节能改造"
in the key projects). Two names are the same task when they are equal after removing white space and
punctuation and ignoring case, or equal once bracketed parts （…） (…) 【…】 are removed too.
Nothing fuzzier is tried: a wrong merge would move a reduction to another task, a missed one
only shows a row twice, which a reader sees. A matched entry is one row: the name, field,
reduction and flags of the baseline data (what the engine counts), the content, implementer
and years of the key project, the stages of the schedule. A list item written "名称：内容" gives
its name before the colon and its content after it.

**Totals.** Subtotals and the total add up the reductions of the baseline data only, so the
total equals what the forecast counts (and what the plan checks against its targets, 附件2
三). A key project that matches no task of the baseline data is listed with the reduction its
table states, marked †, and left out of the totals (it may overlap a task under another name);
a warning asks for it to be entered in the baseline data. A list item that matches nothing has
no reduction of its own ("—").

**Task records.** A snapshot that holds the application's task records (``tasks``) gives each
entry of a baseline-data task its record's responsible unit, content, end year and budget,
matched by the task's id (its code), never by name; the record wins over the key-project table.
A snapshot without them is read as above, the applicant unit being responsible.

**Completion (完成时限).** The later of the key project's end year and the last end date of
the entry's schedule stages (shown as year and month when the schedule sets it); without
either, the year the task reaches its full effect (start year + ramp − 1). The start is the
earliest of the task's, the key project's and the schedule's.

The package follows that order: :mod:`.entries` holds the list's rows and groups,
:mod:`.matching` decides when two names are the same task, :mod:`.collecting` gathers the
entries from the sources, :mod:`.grid` lays them out as a table, and :mod:`.document` and
:mod:`.workbook` write the DOCX and the XLSX.
"""

from .collecting import as_year, build_task_list
from .document import (
    document_fields,
    subtitle,
    task_list_blocks,
    task_list_title,
    write_docx,
    write_task_list,
)
from .entries import (
    KEY_PROJECTS_FIELD,
    NOT_COUNTED,
    TASK_LISTS,
    FieldGroup,
    Language,
    ScheduleStage,
    TaskEntry,
    TaskList,
    Translate,
)
from .grid import Cell, Grid, flags, task_list_grid
from .matching import same_task
from .workbook import write_workbook

__all__ = [
    "KEY_PROJECTS_FIELD",
    "NOT_COUNTED",
    "TASK_LISTS",
    "Cell",
    "FieldGroup",
    "Grid",
    "Language",
    "ScheduleStage",
    "TaskEntry",
    "TaskList",
    "Translate",
    "as_year",
    "build_task_list",
    "document_fields",
    "flags",
    "same_task",
    "subtitle",
    "task_list_blocks",
    "task_list_grid",
    "task_list_title",
    "write_docx",
    "write_task_list",
    "write_workbook",
]
