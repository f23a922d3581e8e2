"""The implementation plan (实施方案) as a Word document, from an application's data.

The plan follows the application's outline edition (附件1 for zones, 附件3 for communities)
section by section, numbered the way official documents are (一、 （一） 1. （1）), with the
applicant's narrative and the tables the engines compute placed where the outline asks for
them:

* the emission inventory by category, with its sources and factors, and the indicators in the
  section on the current status (附件1/附件3 二、1. 系统介绍…低碳建设的现状);
* targets and staged targets against the forecast, and the consistency of task reductions with
  the overall target, in the section on targets (三、1.);
* the main tasks with their expected reductions in the section on tasks (zone 三、2., community
  三、3.).

Figures are drawn by the same code as the web pages and embedded as PNG: the boundary map
under the boundary (:mod:`lowcarbon.documents.maps`), the emission structure under the
inventory and the trend against the targets under the forecast
(:mod:`lowcarbon.documents.result_charts`), and the projects' schedule as a Gantt chart under
the schedule table (附件1 三、3. 进度安排).

A required element the applicant has not filled in becomes a visible red placeholder in the
document and a line of :attr:`PlanDocument.warnings`; nothing is silently left out.

The package follows the document: :mod:`.inputs` holds what a plan is written from,
:mod:`.builder` walks the outline (:mod:`.outline_sections`) and places the computed tables
(:mod:`.inventory_tables`, :mod:`.targets_table`, :mod:`.tasks_table`,
:mod:`.score_appendix`), :mod:`.schedule` draws the projects' Gantt chart and
:mod:`.document` writes the DOCX.
"""

from .document import build_plan, write_plan
from .inputs import (
    Language,
    PlanDocument,
    PlanInput,
    ScoreLine,
    ScoreSheet,
    Translate,
    plan_input_from_file,
    score_sheet,
    score_sheet_from_data,
)
from .schedule import SCHEDULE_ELEMENT, schedule_chart, schedule_stages

__all__ = [
    "SCHEDULE_ELEMENT",
    "Language",
    "PlanDocument",
    "PlanInput",
    "ScoreLine",
    "ScoreSheet",
    "Translate",
    "build_plan",
    "plan_input_from_file",
    "schedule_chart",
    "schedule_stages",
    "score_sheet",
    "score_sheet_from_data",
    "write_plan",
]
