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

:func:`read_workbook` checks the layout first (sheets and headers renamed, removed or reordered
are refused, listing what is missing), then reads every cell, then runs the checks the YAML
loader runs (:func:`~lowcarbon.rules.activity.check_accounting_data`). Every problem is
collected into one :class:`WorkbookError`; nothing is half-read.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from lowcarbon.core.activity import UnitKind
from lowcarbon.core.errors import LowcarbonError
from lowcarbon.core.messages import Message, Translate, gettext_noop

from .activity import (
    ACTIVITY_GROUPS,
    CATEGORY_UNITS,
    DEFAULT_FACTOR_SET,
    AccountingInput,
    accounting_input_from_data,
    accounting_input_to_data,
    check_accounting_data,
)
from .factors import SETS_FOLDER
from .paths import data_dir

__all__ = [
    "INSTRUCTIONS_SHEET",
    "OPTIONS_SHEET",
    "WorkbookError",
    "WorkbookProblem",
    "read_workbook",
    "write_workbook_template",
]

INSTRUCTIONS_SHEET = "说明"
OPTIONS_SHEET = "选项"
_FIRST_DATA_ROW = 2
_VALIDATED_ROWS = 1000
_MAX_SHOWN = 80

KeyPath = tuple[str | int, ...]

# --- errors ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WorkbookProblem:
    """One problem: where (sheet, row, column header, cell such as ``D7``), the value found and
    what was expected. ``sheet`` is None for the workbook as a whole, ``cell`` for a sheet."""

    sheet: str | None
    row: int | None
    column: str | None
    cell: str | None
    found: object
    expected: Message
    code: str = "workbook"

    @property
    def message(self) -> Message:
        if self.cell is not None:
            place = Message(
                gettext_noop("{sheet}!{cell} {column}"),
                {"sheet": self.sheet, "cell": self.cell, "column": self.column},
            )
        elif self.sheet is not None:
            place = Message(gettext_noop("sheet {sheet}"), {"sheet": self.sheet})
        else:
            place = Message(gettext_noop("the workbook"))
        if self.found is not None:
            return Message(
                gettext_noop("{place}: found “{found}”, expected {expected}"),
                {"place": place, "found": _shown(self.found), "expected": self.expected},
            )
        if self.cell is not None:
            template = gettext_noop("{place}: empty, expected {expected}")
        else:
            template = gettext_noop("{place}: expected {expected}")
        return Message(template, {"place": place, "expected": self.expected})


def _shown(value: object) -> str:
    text = format(value, ".15g") if isinstance(value, float) else str(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


class WorkbookError(LowcarbonError):
    """A workbook that cannot be imported; ``problems`` lists every problem found."""

    code = "workbook"

    def __init__(self, path: Path | str, problems: Sequence[WorkbookProblem]) -> None:
        self.path = str(path)
        self.problems = list(problems)
        super().__init__(
            Message(
                gettext_noop("{path}: {count} problem(s), nothing was imported: {problems}"),
                {
                    "path": self.path,
                    "count": len(self.problems),
                    "problems": [problem.message for problem in self.problems],
                },
            )
        )


class _Invalid(Exception):
    def __init__(self, expected: Message) -> None:
        super().__init__(expected.render())
        self.expected = expected


# --- the vocabulary as shown in the workbook -------------------------------------------------


def _fold(text: str) -> str:
    """Text as compared with a label: full-width forms folded, spaces dropped, lower case."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)).lower()


@dataclass(frozen=True)
class _Choices:
    """A drop-down list: machine value → Chinese label (an English template shows values)."""

    name: str
    labels: Mapping[str, str]

    def shown(self, value: str, language: str) -> str:
        return value if language == "en" else self.labels[value]

    def lookup(self, text: str) -> str | None:
        key = _fold(text)
        return next((v for v, label in self.labels.items() if key in (_fold(label), v)), None)

    def only(self, name: str, values: Sequence[str]) -> _Choices:
        return _Choices(name, {value: self.labels[value] for value in values})


_KINDS = _Choices(
    "kind",
    {"zone": "低碳发展实践区（近零碳排放实践区）", "community": "低碳社区（近零碳排放社区）"},
)
_FLAGS = _Choices("flag", {"true": "是", "false": "否"})
_CATEGORIES = _Choices(
    "category",
    {
        "electricity": "外购电力",
        "green_electricity": "绿色电力（绿电交易）",
        "heat": "外购热力（蒸汽、热水、冷量）",
        "natural_gas": "天然气",
        "lpg": "液化石油气",
        "gasoline": "汽油",
        "diesel": "柴油",
        "fuel_oil": "燃料油",
        "kerosene": "煤油",
        "lng": "液化天然气",
        "onsite_renewable_electricity": "可再生能源电力（自发自用）",
        "renewable_export": "可再生能源上网电量",
        "solar_thermal": "太阳能热利用",
        "waste": "生活垃圾及废弃物",
        "water_supply": "自来水",
        "green_space": "绿地",
        "trees": "乔木",
    },
)
_SECTORS = _Choices(
    "sector",
    {
        "residential": "居民生活",
        "commercial_public": "公共建筑与商业（含物业公共设施）",
        "industry": "工业",
        "transport": "交通（含充电设施）",
        "waste": "废弃物处理",
        "land": "绿地碳汇",
        "other": "其他",
    },
)
_QUALITIES = _Choices(
    "quality",
    {
        "measured": "A 实测（计量、票据）",
        "calculated": "B 统计或分摊",
        "estimated": "C 估算",
        "default": "缺省值",
    },
)
_DOMAINS = _Choices(
    "domain",
    {
        "energy": "能源",
        "buildings": "建筑",
        "transport": "交通",
        "governance": "监管体系/组织管理",
        "behaviour": "低碳人文/低碳行为",
        "waste": "废弃物与资源循环",
        "greening": "绿化碳汇",
        "demonstration": "低碳示范项目",
    },
)
_TARGET_KINDS = _Choices(
    "target_kind",
    {
        "total": "碳排放总量（tCO2，不高于）",
        "decline_rate": "碳排放下降率（%，不低于）",
        "per_capita": "人均碳排放（tCO2/人，不高于）",
        "per_capita_decline_rate": "人均碳排放下降率（%，不低于）",
        "intensity_gdp": "单位GDP碳排放（tCO2/万元，不高于）",
        "renewable_share": "可再生能源利用占比（%，不低于）",
        "source_sink_ratio": "碳源碳汇比（不高于）",
    },
)

_GROUP_SHEETS = {
    "electricity": "电力",
    "fuels": "燃气与燃料",
    "heat_renewables": "热力与可再生能源",
    "sinks": "碳汇",
    "waste_water": "废弃物与水",
}

# --- cell kinds: read a cell into data, write data into a cell --------------------------------


def _text_of(raw: object) -> str:
    return format(raw, ".15g") if isinstance(raw, float) else str(raw)


def _decimal_of(raw: object) -> Decimal | None:
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = Decimal(raw)
    elif isinstance(raw, float):
        # Excel keeps 15 significant digits; anything after them is binary noise.
        number = Decimal(format(raw, ".15g"))
    elif isinstance(raw, str):
        try:
            number = Decimal(unicodedata.normalize("NFKC", raw).replace(",", ""))
        except InvalidOperation:
            return None
    else:
        return None
    return number if number.is_finite() else None


def _number_cell(value: Decimal) -> Decimal | str:
    # A number Excel cannot hold exactly (over 15 significant digits) is written as text, which
    # the reader accepts, so that nothing is lost between a YAML file and its workbook.
    return value if Decimal(format(float(value), ".15g")) == value else str(value)


class _Kind:
    """How one field is read from a cell and written into one."""

    def __init__(self, expected: Message) -> None:
        self.expected = expected

    def read(self, raw: object) -> object:
        raise NotImplementedError

    def write(self, value: Any, language: str) -> object:
        return value


class _Text(_Kind):
    def __init__(self, expected: Message, pattern: str | None = None) -> None:
        super().__init__(expected)
        self.pattern = re.compile(pattern) if pattern else None

    def read(self, raw: object) -> object:
        text = _text_of(raw)
        if self.pattern is not None and not self.pattern.fullmatch(text):
            raise _Invalid(self.expected)
        return text


class _Number(_Kind):
    def __init__(
        self, expected: Message, low: Decimal, high: Decimal | None = None, *, strict: bool = False
    ) -> None:
        super().__init__(expected)
        self.low, self.high, self.strict = low, high, strict

    def read(self, raw: object) -> object:
        number = _decimal_of(raw)
        if number is None or number < self.low or (self.strict and number == self.low):
            raise _Invalid(self.expected)
        if self.high is not None and number >= self.high:
            raise _Invalid(self.expected)
        return number

    def write(self, value: Any, language: str) -> object:
        return _number_cell(value)


class _Whole(_Kind):
    def __init__(self, expected: Message, low: int | None = None, high: int | None = None) -> None:
        super().__init__(expected)
        self.low, self.high = low, high

    def read(self, raw: object) -> object:
        number = _decimal_of(raw)
        if number is None or number != number.to_integral_value():
            raise _Invalid(self.expected)
        value = int(number)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise _Invalid(self.expected)
        return value


class _Choice(_Kind):
    def __init__(self, choices: _Choices) -> None:
        super().__init__(
            Message(
                gettext_noop("one of {values}"),
                {"values": [f"{label} ({value})" for value, label in choices.labels.items()]},
            )
        )
        self.choices = choices

    def read(self, raw: object) -> object:
        value = self.choices.lookup(_text_of(raw))
        if value is None:
            raise _Invalid(self.expected)
        return value

    def write(self, value: Any, language: str) -> object:
        return self.choices.shown(str(value), language)


class _Flag(_Choice):
    def __init__(self) -> None:
        super().__init__(_FLAGS)

    def read(self, raw: object) -> object:
        return raw if isinstance(raw, bool) else super().read(raw) == "true"

    def write(self, value: Any, language: str) -> object:
        return super().write("true" if value else "false", language)


class _YearList(_Kind):
    def read(self, raw: object) -> object:
        parts = [part for part in re.split(r"[,，、;；\s]+", _text_of(raw)) if part]
        if not parts or not all(part.isdigit() for part in parts):
            raise _Invalid(self.expected)
        years = [int(part) for part in parts]
        if len(set(years)) != len(years):
            raise _Invalid(self.expected)
        return years

    def write(self, value: Any, language: str) -> object:
        return ", ".join(str(year) for year in value)


class _Sources(_Kind):
    """``acts_on``: category/sector pairs separated by ；. Unknown names are kept as written, so
    :func:`check_accounting_data` reports them with the vocabulary."""

    def read(self, raw: object) -> object:
        sources = []
        for part in re.split(r"[;；\n]+", unicodedata.normalize("NFKC", _text_of(raw))):
            category, _, sector = part.strip().partition("/")
            known = (_CATEGORIES.lookup(category.strip()), _SECTORS.lookup(sector.strip()))
            if part.strip():
                sources.append(f"{known[0]}/{known[1]}" if all(known) else part.strip())
        return sources

    def write(self, value: Any, language: str) -> object:
        pairs = [text.partition("/") for text in value]
        return "; ".join(
            f"{_CATEGORIES.shown(c, language)}/{_SECTORS.shown(s, language)}" for c, _, s in pairs
        )


class _Geometry(_Kind):
    def read(self, raw: object) -> object:
        try:
            geometry = json.loads(_text_of(raw))
        except json.JSONDecodeError:
            raise _Invalid(self.expected) from None
        if (
            not isinstance(geometry, dict)
            or set(geometry) != {"type", "coordinates"}
            or geometry["type"] not in ("Polygon", "MultiPolygon")
            or not isinstance(geometry["coordinates"], list)
        ):
            raise _Invalid(self.expected)
        return geometry

    def write(self, value: Any, language: str) -> object:
        return json.dumps(value, ensure_ascii=False)


_ANY_NUMBER = Message(gettext_noop("a number of 0 or more"))
_WHOLE = Message(gettext_noop("a whole number of 0 or more"))
_YEAR = _Whole(Message(gettext_noop("a calendar year such as 2023")))
_NOTE = _Text(Message(gettext_noop("a note, as text")))
_PERCENT = _Number(
    Message(gettext_noop("a percentage between -100 and 100")),
    Decimal(-100),
    Decimal(100),
    strict=True,
)


@dataclass(frozen=True)
class _Field:
    """One column of a table sheet, or one row of a form sheet."""

    header: str
    path: tuple[str, ...]
    kind: _Kind
    help: str
    required: bool = False
    width: int = 14
    options: str | None = None  # the drop-down list on the options sheet
    strict: bool = True  # refuse values not in the drop-down list
    prefilled: bool = False  # written into an empty template (does not count as entered)


@dataclass(frozen=True)
class _Sheet:
    name: str
    purpose: str
    fields: tuple[_Field, ...]
    table: KeyPath | None = None  # the list its rows go to; None: a form (one value per row)
    group: str | None = None  # an activity sheet: its group in ACTIVITY_GROUPS
    categories: tuple[str, ...] = ()  # … and the categories it takes


_PROFILE = _Sheet(
    "基本情况",
    gettext_noop(
        "The unit: name, kind, the four sides of its boundary, area, base year, accounting "
        "years and factor set; one value per row in column B."
    ),
    (
        _Field(
            "名称",
            ("profile", "name"),
            _Text(Message(gettext_noop("the unit's name, a non-empty text"))),
            gettext_noop("The unit's name as in the application."),
            required=True,
        ),
        _Field(
            "类型",
            ("profile", "kind"),
            _Choice(_KINDS),
            gettext_noop("Practice zone or community: it decides which targets apply."),
            required=True,
            options="kind",
            prefilled=True,
        ),
        _Field(
            "四至边界",
            ("profile", "boundary", "four_sides"),
            _Text(
                Message(
                    gettext_noop(
                        "the four sides of the boundary in words (四至: 东至…, 南至…, 西至…, 北至…)"
                    )
                )
            ),
            gettext_noop(
                "The four sides of the boundary in words: 东至…，南至…，西至…，北至… "
                "(附件2 一: a boundary with clear four sides)."
            ),
            required=True,
        ),
        _Field(
            "面积（km²）",
            ("profile", "boundary", "area_km2"),
            _Number(
                Message(gettext_noop("the area in km², a number greater than 0")),
                Decimal(0),
                strict=True,
            ),
            gettext_noop("The area inside the boundary in km² (附件1 一、1; 附件3 一、1)."),
        ),
        _Field(
            "边界范围（GeoJSON）",
            ("profile", "boundary", "geometry"),
            _Geometry(
                Message(gettext_noop("a GeoJSON Polygon or MultiPolygon (type and coordinates)"))
            ),
            gettext_noop(
                "Optional: the boundary as GeoJSON text with type Polygon or MultiPolygon and "
                "coordinates as longitude, latitude."
            ),
        ),
        _Field(
            "基准年",
            ("profile", "base_year"),
            _Whole(
                Message(gettext_noop("the base year, a calendar year from 2000 to 2100")),
                2000,
                2100,
            ),
            gettext_noop(
                "The base year: the latest complete calendar year with metered data before the "
                "application (§9)."
            ),
            required=True,
        ),
        _Field(
            "核算年份",
            ("years",),
            _YearList(
                Message(
                    gettext_noop(
                        "the accounting years, a list of distinct calendar years such as "
                        "2023, 2024, 2025"
                    )
                )
            ),
            gettext_noop(
                "The years to account, e.g. 2023, 2024, 2025, including the base year; if "
                "empty, the years of the activity data."
            ),
        ),
        _Field(
            "排放因子集",
            ("factor_set",),
            _Text(
                Message(
                    gettext_noop("the id of a factor set in data/factors/sets, e.g. shanghai-2022")
                ),
                r"[a-z0-9][a-z0-9.-]*",
            ),
            gettext_noop(
                "The factor set for every year (§5.2): shanghai-2022 by default (electricity "
                "4.2 tCO2/10^4kWh, heat 0.06 tCO2/GJ); shanghai-2023-green-power to claim "
                "qualifying green power."
            ),
            options="factor_set",
            strict=False,
            prefilled=True,
        ),
    ),
)


def _floor(header: str, key: str, help_text: str) -> _Field:
    return _Field(header, ("floor_area_m2", key), _Number(_ANY_NUMBER, Decimal(0)), help_text)


_DRIVERS = _Sheet(
    "年度规模",
    gettext_noop(
        "The size of the unit in each year: the denominators of the indicators and the drivers "
        "of the forecast (§7, §9). One row per year: every accounting year, and planned future "
        "years if known."
    ),
    (
        _Field(
            "年份", ("year",), _YEAR, gettext_noop("The calendar year."), required=True, width=8
        ),
        _Field(
            "常住人口（人）",
            ("resident_population",),
            _Whole(_WHOLE, 0),
            gettext_noop("Resident population (常住人口): the per-capita denominator."),
            required=True,
        ),
        _Field(
            "户籍人口（人）",
            ("registered_population",),
            _Whole(_WHOLE, 0),
            gettext_noop("Registered population (户籍人口), shown for reference."),
        ),
        _Field("户数（户）", ("households",), _Whole(_WHOLE, 0), gettext_noop("Households.")),
        _floor(
            "居住建筑面积（m²）",
            "residential",
            gettext_noop("Residential floor area (居民住宅建筑面积) in m²."),
        ),
        _floor(
            "公共建筑面积（m²）",
            "commercial_public",
            gettext_noop(
                "Floor area of public and commercial buildings (offices, shops, schools, "
                "community facilities) in m²."
            ),
        ),
        _floor("工业建筑面积（m²）", "industry", gettext_noop("Industrial floor area in m².")),
        _floor("其他建筑面积（m²）", "other", gettext_noop("Other floor area in m².")),
        _Field(
            "地区生产总值（万元）",
            ("gdp_10k_yuan",),
            _Number(_ANY_NUMBER, Decimal(0)),
            gettext_noop("GDP or value added in 10^4 yuan (万元), for zones."),
            width=16,
        ),
        _Field(
            "从业人员（人）",
            ("employees",),
            _Whole(_WHOLE, 0),
            gettext_noop("People working inside the boundary, for zones."),
        ),
    ),
    table=("profile", "drivers"),
)


def _activity_sheet(group: str, categories: Sequence[str]) -> _Sheet:
    purposes = {
        "electricity": gettext_noop(
            "Purchased grid electricity and qualifying green power, by user sector."
        ),
        "fuels": gettext_noop("Natural gas, LPG and liquid fuels burnt inside the boundary."),
        "heat_renewables": gettext_noop(
            "Purchased heat, steam or cold; on-site renewable electricity used, renewable "
            "electricity fed to the grid, and solar heat."
        ),
        "sinks": gettext_noop("Green space (area) and trees (count) inside the boundary."),
        "waste_water": gettext_noop("Waste by fraction, and tap water used."),
    }
    return _Sheet(
        _GROUP_SHEETS[group],
        purposes[group],
        (
            _Field(
                "年份",
                ("year",),
                _YEAR,
                gettext_noop("The calendar year of the data."),
                required=True,
                width=8,
            ),
            _Field(
                "类别",
                ("category",),
                _Choice(_CATEGORIES.only(f"category_{group}", categories)),
                gettext_noop("The source category; only the categories of this sheet."),
                required=True,
                width=26,
                options=f"category_{group}",
            ),
            _Field(
                "部门",
                ("sector",),
                _Choice(_SECTORS),
                gettext_noop(
                    "Who used it: residents, public and commercial buildings (with property "
                    "services), industry, transport (with charging), waste, green land, other."
                ),
                required=True,
                width=30,
                options="sector",
            ),
            _Field(
                "数量",
                ("quantity",),
                _Number(_ANY_NUMBER, Decimal(0)),
                gettext_noop("The amount in the year, in the unit of the next column."),
                required=True,
            ),
            _Field(
                "单位",
                ("unit",),
                _Text(Message(gettext_noop("a unit such as kWh, 万kWh, m³, t, L, GJ, m² or 株"))),
                gettext_noop(
                    "The unit: choose from the list or type another accepted spelling of the "
                    "same kind (e.g. 万方, Nm³, 吨)."
                ),
                required=True,
                width=10,
                options=f"unit_{group}",
                strict=False,
            ),
            _Field(
                "数据质量",
                ("quality",),
                _Choice(_QUALITIES),
                gettext_noop("A measured, B calculated, C estimated, or a default value (§8)."),
                required=True,
                width=20,
                options="quality",
            ),
            _Field(
                "数据来源",
                ("source",),
                _NOTE,
                gettext_noop("Where the figure comes from: bill, meter, ledger, survey…"),
                width=36,
            ),
            _Field(
                "说明",
                ("label",),
                _NOTE,
                gettext_noop(
                    "A finer name, e.g. 居民用电, 公共照明; for green space and trees the sink "
                    "type whose rate applies (乔木绿地, 硬阔Ⅰ类, 硬阔Ⅱ类)."
                ),
                width=30,
            ),
        ),
        table=("records",),
        group=group,
        categories=tuple(categories),
    )


def _amount(header: str, key: str, help_text: str, *, required: bool = False) -> _Field:
    return _Field(
        header, (key,), _Number(_ANY_NUMBER, Decimal(0)), help_text, required=required, width=16
    )


_TASKS = _Sheet(
    "任务与项目",
    gettext_noop(
        "The main tasks and key projects, with the annual reduction each promises at full "
        "effect (附件2 三: task reductions must add up to the overall target)."
    ),
    (
        _Field(
            "编号",
            ("id",),
            _Text(
                Message(gettext_noop("an id of letters, digits, '.', '_' or '-', e.g. T01")),
                r"[0-9A-Za-z._-]+",
            ),
            gettext_noop("A short id, e.g. T01, used once."),
            required=True,
            width=8,
        ),
        _Field(
            "名称",
            ("name",),
            _Text(Message(gettext_noop("the task's name, a non-empty text"))),
            gettext_noop("The task or key project."),
            required=True,
            width=36,
        ),
        _Field(
            "领域",
            ("domain",),
            _Choice(_DOMAINS),
            gettext_noop(
                "Zones: 能源、建筑、交通、监管体系、低碳人文 (附件1 三、2); communities: "
                "组织管理、低碳行为、低碳示范项目 (附件3 三、3)."
            ),
            required=True,
            width=18,
            options="domain",
        ),
        _Field(
            "作用对象",
            ("acts_on",),
            _Sources(
                Message(
                    gettext_noop(
                        "a list of sources as category/sector, e.g. [electricity/residential]"
                    )
                )
            ),
            gettext_noop(
                "The sources whose emissions it reduces, as 类别/部门, several separated by ；"
                " (e.g. 外购电力/居民生活)."
            ),
            width=36,
        ),
        _amount(
            "年减排量（tCO2）",
            "annual_reduction_tco2",
            gettext_noop("The annual reduction in tCO2 once at full effect."),
            required=True,
        ),
        _Field(
            "开始年份",
            ("start_year",),
            _YEAR,
            gettext_noop("The year it starts to take effect."),
            required=True,
            width=10,
        ),
        _Field(
            "达效年数",
            ("ramp_years",),
            _Whole(Message(gettext_noop("a whole number of 1 or more")), 1),
            gettext_noop("Years from the start to the full effect; 1 if empty."),
            width=10,
        ),
        _Field(
            "重点项目",
            ("key_project",),
            _Flag(),
            gettext_noop("Yes for a key project (重点项目)."),
            width=10,
            options="flag",
        ),
        _Field(
            "近零碳排放示范项目",
            ("near_zero_demonstration",),
            _Flag(),
            gettext_noop("Yes for a near-zero-carbon demonstration project (附件2 四)."),
            width=12,
            options="flag",
        ),
        _amount(
            "新增可再生能源电量（kWh/年）",
            "adds_renewable_kwh",
            gettext_noop("New self-consumed renewable electricity a year, in kWh."),
        ),
        _amount(
            "新增碳汇（tCO2/年）",
            "adds_sink_tco2",
            gettext_noop("New annual sequestration in tCO2 (planting, adoption)."),
        ),
    ),
    table=("tasks",),
)

_TARGETS = _Sheet(
    "目标",
    gettext_noop(
        "Staged targets, one row per indicator and year: per-capita emissions and their "
        "decline for communities (附件3 三、1); the emission decline rate, renewable share and "
        "source-to-sink ratio for zones (附件1 三、1)."
    ),
    (
        _Field(
            "指标",
            ("kind",),
            _Choice(_TARGET_KINDS),
            gettext_noop("The indicator; its unit is in its name."),
            required=True,
            width=34,
            options="target_kind",
        ),
        _Field(
            "目标年份",
            ("year",),
            _YEAR,
            gettext_noop("The year the target applies to."),
            required=True,
            width=10,
        ),
        _amount(
            "目标值",
            "value",
            gettext_noop(
                "At most this for totals, per-capita values, intensities and the source-to-sink "
                "ratio; at least this for decline rates and the renewable share (in %)."
            ),
            required=True,
        ),
        _Field(
            "总体目标",
            ("overall",),
            _Flag(),
            gettext_noop("Yes for an overall target, no for a sub-indicator; yes if empty."),
            width=10,
            options="flag",
        ),
        _Field("说明", ("note",), _NOTE, gettext_noop("A note."), width=40),
    ),
    table=("targets",),
)


def _growth(header: str, key: str, help_text: str) -> _Field:
    return _Field(header, ("assumptions", key), _PERCENT, help_text)


_ASSUMPTIONS = _Sheet(
    "预测假设",
    gettext_noop(
        "Yearly growth rates for the business-as-usual forecast and the target years (§9); "
        "planned drivers on 年度规模 take precedence."
    ),
    (
        _growth(
            "人口年增长率（%）",
            "population_growth_pct",
            gettext_noop("Yearly growth of the resident population, in %."),
        ),
        _growth(
            "建筑面积年增长率（%）",
            "floor_area_growth_pct",
            gettext_noop("Yearly growth of the floor area, in %."),
        ),
        _growth("GDP年增长率（%）", "gdp_growth_pct", gettext_noop("Yearly growth of GDP, in %.")),
        _growth(
            "能效年提升率（%）",
            "efficiency_improvement_pct",
            gettext_noop("Autonomous yearly decline of energy intensity, in %."),
        ),
        _Field(
            "目标年份",
            ("assumptions", "target_years"),
            _YearList(
                Message(gettext_noop("a list of distinct calendar years such as 2025, 2027, 2030"))
            ),
            gettext_noop("The target years of the forecast, e.g. 2025, 2027, 2030."),
        ),
        _Field("说明", ("assumptions", "note"), _NOTE, gettext_noop("A note on the sources.")),
    ),
)

_ACTIVITY_SHEETS = tuple(
    _activity_sheet(group, [c.value for c in categories]) for group, categories in ACTIVITY_GROUPS
)
_SHEETS: tuple[_Sheet, ...] = (
    _PROFILE,
    _DRIVERS,
    *_ACTIVITY_SHEETS,
    _TASKS,
    _TARGETS,
    _ASSUMPTIONS,
)
_SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(_SHEETS)}
_FORM_HEADERS = ("项目", "内容", "填写说明")

# --- writing ---------------------------------------------------------------------------------

_HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")
_BOLD = Font(bold=True)
_WRAP = Alignment(wrap_text=True, vertical="top")

_KIND_NAMES = {
    UnitKind.ZONE: gettext_noop(
        "low-carbon development practice zone (near-zero-carbon practice zone)"
    ),
    UnitKind.COMMUNITY: gettext_noop("low-carbon community (near-zero-carbon community)"),
}
_PLAN_STATES = {
    UnitKind.ZONE: gettext_noop(
        "附件1 一、1 asks a zone's plan for its location and area, and 附件2 一 rewards a "
        "boundary with clear four sides (四至): enter them on 基本情况; enter population, floor "
        "area, GDP and employees for every accounting year on 年度规模."
    ),
    UnitKind.COMMUNITY: gettext_noop(
        "附件3 一、1 asks a community's plan for its location and area and, for its residential "
        "compounds, the residential floor area, households, resident and registered "
        "population: enter them on 基本情况 and, for every accounting year, on 年度规模."
    ),
}
_GUIDANCE = (
    (
        gettext_noop("Purpose"),
        gettext_noop(
            "This workbook collects the inputs of the carbon accounting of one unit of "
            "Shanghai's low-carbon demonstration programme (《上海市低碳示范创建工作方案》, "
            "沪环气〔2021〕182号): its profile and yearly size, activity data by source, tasks "
            "and key projects, staged targets and forecast assumptions."
        ),
    ),
    (
        gettext_noop("Method"),
        gettext_noop(
            "The accounting follows the recommended method for demonstration units "
            "(accounting-method.md, reconstructing 附件5): source categories §4, formulas §5, "
            "indicators §7, data-quality tiers §8, baseline and forecast §9. One factor set "
            "applies to the base year and every target year (§5.2); the default shanghai-2022 "
            "uses 4.2 tCO2/10^4kWh for electricity and 0.06 tCO2/GJ for heat (沪环气〔2022〕34号)."
        ),
    ),
    (
        gettext_noop("Layout"),
        gettext_noop(
            "Do not rename, move or delete sheets, header cells or the labels in column A of "
            "基本情况 and 预测假设: the import refuses a changed layout. Enter data from row 2 "
            "down, one row per year, source and user; empty rows are skipped."
        ),
    ),
    (
        gettext_noop("Lists and units"),
        gettext_noop(
            "Choose categories, sectors, data quality, domains, target kinds and yes/no from "
            "the drop-down lists. For units choose from the list or type another accepted "
            "spelling of the same kind: energy for electricity and heat, volume for natural "
            "gas, mass or volume for liquid fuels, area for green space, 株 for trees, mass for "
            "waste, volume for water."
        ),
    ),
    (
        gettext_noop("Data quality"),
        gettext_noop(
            "Tag every figure with its tier and source (§8): A measured (meters, bills, "
            "invoices, ETS reports), B calculated (statistics, allocations), C estimated "
            "(benchmarks, surveys, literature), or a default value where no data exist. "
            "Indicators without credible data score 0 (附件4 注)."
        ),
    ),
    (
        gettext_noop("Double counting"),
        gettext_noop(
            "Enter charging electricity for cars and e-bikes under transport, not under "
            "buildings (§4). Self-consumed PV is on-site renewable electricity, PV fed to the "
            "grid a memo item (§5.3); green power counts only for executed and settled trades "
            "with their evidence (沪环气候〔2023〕89号). Sinks are reported separately, never "
            "netted from emissions (§5.9)."
        ),
    ),
    (
        gettext_noop("Import"),
        gettext_noop(
            "Leave a cell empty when a figure is unknown rather than writing 0. The import "
            "lists every problem with its sheet, cell, column, the value found and what is "
            "expected, and imports nothing until all are fixed."
        ),
    ),
)


def _bundled_factor_sets() -> list[str]:
    return sorted(path.stem for path in (data_dir() / "factors" / SETS_FOLDER).glob("*.yaml"))


def _options(language: str) -> dict[str, list[str]]:
    """The drop-down lists by name, as :attr:`_Field.options` refers to them."""
    lists: dict[str, list[str]] = {}
    for choices in (_KINDS, _FLAGS, _SECTORS, _QUALITIES, _DOMAINS, _TARGET_KINDS):
        lists[choices.name] = [choices.shown(value, language) for value in choices.labels]
    for group, categories in ACTIVITY_GROUPS:
        lists[f"category_{group}"] = [_CATEGORIES.shown(c.value, language) for c in categories]
        units = [unit for category in categories for unit in CATEGORY_UNITS[category]]
        lists[f"unit_{group}"] = list(dict.fromkeys(units))
    lists["factor_set"] = _bundled_factor_sets()
    return lists


def _get(data: Mapping[str, Any], path: Sequence[str | int]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, Mapping) or part not in value:
            return None
        value = value[part]
    return value


def _put(data: dict[str, Any], path: Sequence[str], value: object) -> None:
    for part in path[:-1]:
        data = data.setdefault(part, {})
    data[path[-1]] = value


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # text that looks like a formula stays text


def _header(sheet: Worksheet, column: int, text: str, *, required: bool = False) -> None:
    cell = sheet.cell(row=1, column=column, value=text)
    cell.font = _BOLD
    cell.fill = _REQUIRED_FILL if required else _HEADER_FILL
    cell.alignment = Alignment(wrap_text=True, vertical="center")


def _validate(
    sheet: Worksheet,
    reference: str,
    cells: str,
    translate: Translate,
    *,
    strict: bool,
) -> None:
    validation = DataValidation(
        type="list",
        formula1=reference,
        allow_blank=True,
        showErrorMessage=strict,
        showInputMessage=not strict,
        errorTitle=translate(gettext_noop("Not in the list")),
        error=translate(gettext_noop("Choose a value from the drop-down list.")),
        promptTitle=translate(gettext_noop("Drop-down list")),
        prompt=translate(gettext_noop("Choose from the list or type another accepted value.")),
    )
    sheet.add_data_validation(validation)
    validation.add(cells)


def _list_reference(letter: str, length: int) -> str:
    return f"'{OPTIONS_SHEET}'!${letter}$2:${letter}${length + 1}"


class _Writer:
    def __init__(self, book: Workbook, language: str, translate: Translate) -> None:
        self.book = book
        self.language = language
        self.translate = translate
        self.lists = _options(language)
        self.references = {
            name: _list_reference(get_column_letter(column), len(values))
            for column, (name, values) in enumerate(self.lists.items(), start=1)
        }

    def help(self, field: _Field) -> str:
        text = self.translate(field.help)
        if field.required:
            return Message(gettext_noop("(required) {help}"), {"help": text}).render(self.translate)
        return text

    def put(self, sheet: Worksheet, row: int, column: int, field: _Field, value: object) -> None:
        shown = None if value is None else field.kind.write(value, self.language)
        if shown not in (None, ""):
            _write_cell(sheet, row, column, shown)

    def options(self) -> None:
        sheet = self.book.create_sheet(OPTIONS_SHEET)
        sheet.sheet_state = "hidden"
        for column, (name, values) in enumerate(self.lists.items(), start=1):
            sheet.cell(row=1, column=column, value=name)
            for row, value in enumerate(values, start=2):
                sheet.cell(row=row, column=column, value=value)

    def field_validation(self, sheet: Worksheet, field: _Field, cells: str) -> None:
        if field.options is not None:
            _validate(
                sheet,
                self.references[field.options],
                cells,
                self.translate,
                strict=field.strict,
            )

    def form(self, spec: _Sheet, data: Mapping[str, Any]) -> None:
        sheet = self.book.create_sheet(spec.name)
        for column, text in enumerate(_FORM_HEADERS, start=1):
            _header(sheet, column, text)
        for row, field in enumerate(spec.fields, start=_FIRST_DATA_ROW):
            label = sheet.cell(row=row, column=1, value=field.header)
            label.font = _BOLD
            if field.required:
                label.fill = _REQUIRED_FILL
            self.put(sheet, row, 2, field, _get(data, field.path))
            sheet.cell(row=row, column=3, value=self.help(field)).alignment = _WRAP
            self.field_validation(sheet, field, f"B{row}")
        for letter, width in zip("ABC", (22, 44, 80), strict=True):
            sheet.column_dimensions[letter].width = width
        sheet.freeze_panes = "A2"

    def table(self, spec: _Sheet, table: KeyPath, data: Mapping[str, Any]) -> None:
        sheet = self.book.create_sheet(spec.name)
        rows = [
            item
            for item in _get(data, table) or ()
            if not spec.categories or item["category"] in spec.categories
        ]
        last = max(_VALIDATED_ROWS, len(rows) + 1 + _VALIDATED_ROWS // 5)
        for column, field in enumerate(spec.fields, start=1):
            letter = get_column_letter(column)
            _header(sheet, column, field.header, required=field.required)
            sheet.cell(row=1, column=column).comment = Comment(
                self.help(field), "lowcarbon", width=300, height=120
            )
            sheet.column_dimensions[letter].width = field.width
            self.field_validation(sheet, field, f"{letter}{_FIRST_DATA_ROW}:{letter}{last}")
            for row, item in enumerate(rows, start=_FIRST_DATA_ROW):
                self.put(sheet, row, column, field, _get(item, field.path))
        sheet.freeze_panes = "A2"

    def instructions(self, sheet: Worksheet, kind: UnitKind) -> None:
        _ = self.translate
        sheet.title = INSTRUCTIONS_SHEET
        title = Message(
            gettext_noop("Carbon accounting data-collection workbook: {kind}"),
            {"kind": Message(_KIND_NAMES[kind])},
        )
        sheet.cell(row=1, column=1, value=title.render(_)).font = Font(bold=True, size=14)
        rows: list[tuple[str, str, bool]] = [
            (_(topic), _(text), True) for topic, text in _GUIDANCE[:1]
        ]
        rows.append((_(gettext_noop("What the plan states")), _(_PLAN_STATES[kind]), True))
        rows += [(_(topic), _(text), True) for topic, text in _GUIDANCE[1:]]
        rows.append(("", "", False))
        rows.append((_(gettext_noop("Sheet / column")), _(gettext_noop("How to fill it")), True))
        for spec in _SHEETS:
            rows.append((spec.name, _(spec.purpose), True))
            rows += [(field.header, self.help(field), False) for field in spec.fields]
        for row, (topic, text, bold) in enumerate(rows, start=3):
            head = sheet.cell(row=row, column=1, value=topic)
            head.font = Font(bold=bold)
            head.alignment = _WRAP
            sheet.cell(row=row, column=2, value=text).alignment = _WRAP
        sheet.column_dimensions["A"].width = 26
        sheet.column_dimensions["B"].width = 110


def write_workbook_template(
    path: Path | str,
    *,
    kind: UnitKind,
    language: str,
    translate: Translate,
    example: AccountingInput | None = None,
) -> None:
    """Write the data-collection workbook for a unit of ``kind`` to ``path``.

    ``language`` (``zh`` or ``en``) chooses the drop-down labels; ``translate`` renders the
    explanations. With ``example`` the sheets hold its data, and :func:`read_workbook` reads
    back an equal :class:`AccountingInput`.
    """
    if language not in ("zh", "en"):
        raise ValueError(f"language must be 'zh' or 'en', not {language!r}")
    if example is not None and example.profile.kind != kind:
        raise ValueError(f"the example is a {example.profile.kind.value}, not a {kind.value}")
    data: Mapping[str, Any] = (
        accounting_input_to_data(example)
        if example is not None
        else {"profile": {"kind": kind.value}, "factor_set": DEFAULT_FACTOR_SET}
    )
    book = Workbook()
    writer = _Writer(book, language, translate)
    writer.instructions(book.worksheets[0], kind)
    for spec in _SHEETS:
        if spec.table is None:
            writer.form(spec, data)
        else:
            writer.table(spec, spec.table, data)
    writer.options()
    book.save(Path(path))


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Where:
    sheet: str | None
    row: int | None = None
    column: str | None = None
    cell: str | None = None
    index: int = 0  # column number, for sorting


def _cell_value(raw: object) -> object:
    if isinstance(raw, str):
        raw = raw.strip()
        return raw or None
    return raw


class _Reader:
    def __init__(self, path: Path, book: Workbook) -> None:
        self.path = path
        self.book = book
        self.problems: list[tuple[tuple[int, int, int], WorkbookProblem]] = []
        self.data: dict[str, Any] = {
            "profile": {"boundary": {}, "drivers": []},
            "records": [],
            "tasks": [],
            "targets": [],
            "assumptions": {},
        }
        self.where: dict[KeyPath, _Where] = {(): _Where(None)}
        self.entered = False

    def problem(self, where: _Where, found: object, expected: Message, code: str) -> None:
        problem = WorkbookProblem(
            where.sheet, where.row, where.column, where.cell, found, expected, code
        )
        order = _SHEET_ORDER.get(where.sheet or "", -1)
        self.problems.append(((order, where.row or 0, where.index), problem))

    def fail_if_problems(self) -> None:
        if self.problems:
            ordered = sorted(self.problems, key=lambda pair: pair[0])
            raise WorkbookError(self.path, [problem for _, problem in ordered])

    def layout(self) -> None:
        present = self.book.sheetnames
        names = [spec.name for spec in _SHEETS]
        for name in names:
            if name not in present:
                self.problem(
                    _Where(name),
                    None,
                    Message(
                        gettext_noop(
                            "a sheet named {sheet}, as in the template (sheets may not be renamed "
                            "or removed); the workbook has {sheets}"
                        ),
                        {"sheet": name, "sheets": present},
                    ),
                    "sheet_missing",
                )
        found_order = [name for name in present if name in names]
        if len(found_order) == len(names) and found_order != names:
            self.problem(
                _Where(None),
                " | ".join(found_order),
                Message(
                    gettext_noop("the sheets in the template's order: {sheets}"),
                    {"sheets": " | ".join(names)},
                ),
                "sheet_order",
            )
        for spec in _SHEETS:
            if spec.name in present:
                self.headers(spec, self.book[spec.name])

    def headers(self, spec: _Sheet, sheet: Any) -> None:
        wanted = [field.header for field in spec.fields]
        if spec.table is None:
            cells = [sheet.cell(row=row, column=1).value for row in range(2, sheet.max_row + 1)]
            template = gettext_noop("the labels {labels} in column A in this order")
        else:
            cells = [sheet.cell(row=1, column=c).value for c in range(1, sheet.max_column + 1)]
            template = gettext_noop("the headers {labels} in row 1 in this order")
        texts = [_cell_value(value) for value in cells]
        if texts[: len(wanted)] == wanted:
            return
        found = [str(text) for text in texts if text is not None]
        missing = [header for header in wanted if header not in found]
        expected = Message(template, {"labels": " | ".join(wanted)})
        if missing:
            expected = Message(
                gettext_noop("{expected}; missing or renamed: {missing}"),
                {"expected": expected, "missing": " | ".join(missing)},
            )
        self.problem(_Where(spec.name), " | ".join(found), expected, "headers")

    def value(self, field: _Field, raw: object, where: _Where) -> object:
        try:
            return field.kind.read(raw)
        except _Invalid as invalid:
            self.problem(where, raw, invalid.expected, "cell")
            return None

    def form(self, spec: _Sheet, sheet: Any) -> None:
        for row, field in enumerate(spec.fields, start=_FIRST_DATA_ROW):
            where = _Where(spec.name, row, field.header, f"B{row}", 2)
            self.where[field.path] = where
            raw = _cell_value(sheet.cell(row=row, column=2).value)
            if raw is None:
                if field.required:
                    self.problem(where, None, field.kind.expected, "required")
                continue
            self.entered = self.entered or not field.prefilled
            value = self.value(field, raw, where)
            if value is not None:
                _put(self.data, field.path, value)

    def table(self, spec: _Sheet, sheet: Any, table: KeyPath) -> None:
        items: list[dict[str, Any]] = _get(self.data, table)
        self.where.setdefault(table, _Where(spec.name))
        width = len(spec.fields)
        for row, cells in enumerate(
            sheet.iter_rows(min_row=_FIRST_DATA_ROW, max_col=width, values_only=True),
            start=_FIRST_DATA_ROW,
        ):
            raws = [_cell_value(raw) for raw in cells]
            if all(raw is None for raw in raws):
                continue
            self.entered = True
            index = len(items)
            item: dict[str, Any] = {}
            for column, (field, raw) in enumerate(zip(spec.fields, raws, strict=True), start=1):
                where = _Where(
                    spec.name, row, field.header, f"{get_column_letter(column)}{row}", column
                )
                self.where[(*table, index, *field.path)] = where
                if raw is None:
                    if field.required:
                        self.problem(where, None, field.kind.expected, "required")
                    continue
                value = self.value(field, raw, where)
                if value is not None:
                    _put(item, field.path, value)
            items.append(item)

    def read(self) -> AccountingInput:
        self.layout()
        self.fail_if_problems()
        for spec in _SHEETS:
            if spec.table is None:
                self.form(spec, self.book[spec.name])
            else:
                self.table(spec, self.book[spec.name], spec.table)
        if not self.entered:
            self.problems.clear()
            self.problem(
                _Where(None),
                None,
                Message(
                    gettext_noop(
                        "data on the sheets 基本情况, 年度规模 and the activity sheets: nothing "
                        "was entered in the template"
                    )
                ),
                "nothing_entered",
            )
            self.fail_if_problems()
        self.required_rows()
        for issue in check_accounting_data(self.data):
            path = issue.path
            where = next(
                self.where[path[:n]] for n in range(len(path), -1, -1) if path[:n] in self.where
            )
            self.problem(where, issue.found, issue.expected, issue.code)
        self.fail_if_problems()
        return accounting_input_from_data(self.data)

    def required_rows(self) -> None:
        if not self.data["profile"]["drivers"]:
            self.problem(
                _Where(_DRIVERS.name),
                None,
                Message(gettext_noop("at least one row: the size of the unit in the base year")),
                "no_drivers",
            )
        if not self.data["records"]:
            self.problem(
                _Where(None),
                None,
                Message(
                    gettext_noop("at least one activity record on the sheets {sheets}"),
                    {"sheets": ", ".join(sheet.name for sheet in _ACTIVITY_SHEETS)},
                ),
                "no_records",
            )


def read_workbook(path: Path | str) -> AccountingInput:
    """The accounting input in the workbook at ``path`` (made from the template).

    Raises :class:`WorkbookError` listing every problem: a changed layout, unreadable cells,
    and what :func:`~lowcarbon.rules.activity.check_accounting_data` finds.
    """
    path = Path(path)
    try:
        book = load_workbook(path, data_only=True)
    except Exception as error:  # openpyxl raises zip, XML and its own errors alike
        raise WorkbookError(
            path,
            [
                WorkbookProblem(
                    None,
                    None,
                    None,
                    None,
                    f"{type(error).__name__}: {error}",
                    Message(gettext_noop("an .xlsx workbook made from the template")),
                    "unreadable",
                )
            ],
        ) from None
    return _Reader(path, book).read()
