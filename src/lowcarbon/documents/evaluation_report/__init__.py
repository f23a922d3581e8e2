"""The self-evaluation report (自评价报告) of a creation unit, for its mid-term evaluation
(中期评估) or its acceptance (验收), from the tracked data.

It sets what the plan promised against what was done, in the order the evaluators read it:

* 一、基本情况 — the unit, its district, batch and creation period, the unit's own summary
  and its main results;
* 二、创建任务完成情况 — every task and key project with its status, how far it has come and the
  reduction achieved beside the reduction the plan promised, the totals of both, and the
  near-zero-carbon demonstration projects by name. A cancelled task keeps its promised
  reduction in the planned total (the promise was made; the shortfall is the report's to
  explain); a task without a promised reduction shows ``—`` and adds nothing;
* 三、目标指标完成情况 — each indicator in the base year and now against its staged targets.
  When the factor set of the current year is not the base year's, the current value under the
  base-year factors (同口径) has its own column: a change of factor edition is not a reduction;
* 四、碳排放变化分析 — the emissions of the base year and now, the like-for-like change and the
  effect of the factor edition apart, then the decomposition of the change (LMDI effects);
* 五、自评分情况 — the self-score item by item against the indicator system, each with the
  archive records that support it (code, title, date and the first 12 hex digits of the
  record's SHA-256), section subtotals and the total;
* 六、存在问题与下一步工作;
* 附件：佐证材料清单 — every cited record with its category, date and full SHA-256.

A text the unit has not written yet is a visible placeholder, never an empty heading. The input
is plain values (:class:`EvaluationReport`): the web layer and the command line gather them.

The package follows the report: :mod:`.report` holds the plain input values, one module a
section (:mod:`.basics` 一、二, :mod:`.indicators` 三, :mod:`.analysis` 四, :mod:`.self_score`
五, :mod:`.annex` 六 and the list of cited records), :mod:`.document` puts them together and
writes the DOCX and the PDF, and :mod:`.reading` reads the input from a data file.
"""

from .document import (
    evaluation_report_blocks,
    evaluation_report_fields,
    evaluation_report_title,
    write_evaluation_report,
    write_evaluation_report_pdf,
)
from .reading import EvaluationInputError, evaluation_report_from_data
from .report import (
    HASH_PREFIX,
    ChangeEffect,
    CitedRecord,
    Emissions,
    EvaluationReport,
    ReportIndicator,
    ReportTask,
    ScoreItem,
    ScoreSection,
    StagedTarget,
    Translate,
)

__all__ = [
    "HASH_PREFIX",
    "ChangeEffect",
    "CitedRecord",
    "Emissions",
    "EvaluationInputError",
    "EvaluationReport",
    "ReportIndicator",
    "ReportTask",
    "ScoreItem",
    "ScoreSection",
    "StagedTarget",
    "Translate",
    "evaluation_report_blocks",
    "evaluation_report_fields",
    "evaluation_report_from_data",
    "evaluation_report_title",
    "write_evaluation_report",
    "write_evaluation_report_pdf",
]
