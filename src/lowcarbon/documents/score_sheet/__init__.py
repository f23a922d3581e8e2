"""Score sheets of the expert review (专家评分表) and the round's result sheet (评审结果汇总表).

Both are built from engine results, never from typed numbers: an expert's sheet from the
:class:`~lowcarbon.core.scoring.ScoreResult` of one stored revision of their answers, the
result sheet from the aggregated results of the round. The builder returns a format-free
:class:`Sheet`; the writers lay it out as XLSX (openpyxl) and as DOCX (the official Word layout
of :mod:`lowcarbon.documents.word`), and the DOCX converts to PDF
(:func:`lowcarbon.documents.pdf.convert_to_pdf`).

The expert's sheet has two parts. The first is the indicator system's own table as published
(沪环气〔2021〕182号 附件4: 一级指标 | 低碳软/硬环境建设 or 加分项 | 评价方法 with the full scoring
standard | 得分, ending with its 注; 附件2: 指标项 | 指标内容 | 评分标准说明 | 得分 with 合计),
laid out by :func:`lowcarbon.documents.official_sheet.official_table` exactly as the plan's
self-assessment annex is. The second explains the engine's points item by item (the criteria
awarded, caps and constraints, the expert's reason, comment and evidence) with the section
subtotals. The signature lines close the sheet. Each file names the submission's snapshot
SHA-256 and the revision it was made from, both visibly and in the file's properties, so a
sheet can always be traced back to an audited entry.

The package: :mod:`.sheet` holds the format-free sheet and the titles of each review stage,
:mod:`.expert` and :mod:`.result` build the two sheets, :mod:`.workbook` and
:mod:`.document` write them as XLSX and as DOCX/PDF.
"""

from .document import write_docx, write_pdf
from .expert import ExpertSheetContext, expert_letter, expert_sheet
from .result import ResultEntry, ResultSheetContext, result_sheet
from .sheet import STAGES, Language, Sheet, SheetPart, SheetRow, Translate
from .workbook import write_xlsx

__all__ = [
    "STAGES",
    "ExpertSheetContext",
    "Language",
    "ResultEntry",
    "ResultSheetContext",
    "Sheet",
    "SheetPart",
    "SheetRow",
    "Translate",
    "expert_letter",
    "expert_sheet",
    "result_sheet",
    "write_docx",
    "write_pdf",
    "write_xlsx",
]
