"""The data-collection workbook (XLSX): the accounting input for people who do not write YAML.

Layout of the template (:func:`write_workbook_template`)::

    说明            how to fill in each sheet, in the user's language, citing the method
    基本情况        one value per row: name, kind, 四至, area, GeoJSON, base year, years, factor set
    年度规模        one row per year: 常住人口, 户籍人口, 户数, floor area by type, GDP, employees
    电力 … 废弃物与水  one row per record: 年份 类别 部门 数量 单位 数据质量 数据来源 说明
    任务与项目      one row per task or key project
    目标            one row per target kind and year
    预测假设        one value per row: growth rates, target years, note
    选项 (hidden)   the drop-down lists

Sheet names, headers and the labels of 基本情况 / 预测假设 are a fixed part of the format
(Chinese, as the programme's forms are); drop-down lists show Chinese labels, or the machine
values of :mod:`lowcarbon.core.activity` in an English template, and either is read. The
explanations (说明 sheet, header comments, validation prompts) are message ids rendered with the
``translate`` function given.

:func:`read_workbook` refuses a workbook beyond :data:`WORKBOOK_LIMITS` before opening it
(:mod:`~.limits`: parts, unpacked size, compression, sheets, rows, cells), then checks the
layout (sheets and headers renamed, removed or reordered are refused, listing what is
missing), then reads every cell, then runs the checks the YAML loader runs
(:func:`~lowcarbon.rules.activity.check_accounting_data`). Every problem is
collected into one :class:`WorkbookError`; nothing is half-read.

The package: :mod:`~.errors`, :mod:`~.choices` (the drop-down vocabulary), :mod:`~.cells` (cell
kinds, fields and sheets), :mod:`~.tables` and :mod:`~.layout` (the sheets and their order),
:mod:`~.limits` (what a workbook may hold), :mod:`~.writer`
(:func:`write_workbook_template`) and :mod:`~.reader` (:func:`read_workbook`).
"""

from __future__ import annotations

from .errors import WorkbookError, WorkbookProblem
from .layout import INSTRUCTIONS_SHEET, OPTIONS_SHEET
from .limits import WORKBOOK_LIMITS, WorkbookLimits, check_workbook_package
from .reader import read_workbook
from .writer import write_workbook_template

__all__ = [
    "INSTRUCTIONS_SHEET",
    "OPTIONS_SHEET",
    "WORKBOOK_LIMITS",
    "WorkbookError",
    "WorkbookLimits",
    "WorkbookProblem",
    "check_workbook_package",
    "read_workbook",
    "write_workbook_template",
]
