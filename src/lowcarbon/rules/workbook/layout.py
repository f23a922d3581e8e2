"""The layout of the workbook: its fixed sheet names and first data row, the form sheets
(基本情况, 预测假设, one value per row) and the order of all sheets.
"""

from __future__ import annotations

from decimal import Decimal

from lowcarbon.core.messages import Message, gettext_noop

from ..activity.vocabulary import ACTIVITY_GROUPS
from .cells import (
    _NOTE,
    _PERCENT,
    _Choice,
    _Field,
    _Geometry,
    _Number,
    _Sheet,
    _Text,
    _Whole,
    _YearList,
)
from .choices import _KINDS
from .tables import _DRIVERS, _REDUCTIONS, _TARGETS, _TASKS, _activity_sheet

__all__ = [
    "INSTRUCTIONS_SHEET",
    "OPTIONS_SHEET",
]


INSTRUCTIONS_SHEET = "说明"
OPTIONS_SHEET = "选项"
_FIRST_DATA_ROW = 2
_VALIDATED_ROWS = 1000


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
                "The factor set for every year (§5.2): shanghai-2022-v2 by default (electricity "
                "4.2 tCO2/10^4kWh, heat 0.06 tCO2/GJ, every fuel); shanghai-2023-green-power-v2 "
                "to claim qualifying green power. A year with its own set (a base year reported "
                "under its historical set) needs the YAML file."
            ),
            options="factor_set",
            strict=False,
            prefilled=True,
        ),
    ),
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
    _REDUCTIONS,
    _TARGETS,
    _ASSUMPTIONS,
)
_SHEET_ORDER = {sheet.name: index for index, sheet in enumerate(_SHEETS)}
_FORM_HEADERS = ("项目", "内容", "填写说明")
