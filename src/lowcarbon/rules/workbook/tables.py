"""The table sheets, one row per item: the yearly size of the unit (年度规模), the activity
sheets of each group, the tasks and key projects (任务与项目) and the targets (目标).
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from lowcarbon.core.messages import Message, gettext_noop

from .cells import (
    _ANY_NUMBER,
    _NOTE,
    _WHOLE,
    _YEAR,
    _Choice,
    _Field,
    _Flag,
    _Number,
    _Sheet,
    _Sources,
    _Text,
    _Whole,
)
from .choices import (
    _CATEGORIES,
    _CHANGES,
    _CONFIDENCES,
    _DOMAINS,
    _GROUP_SHEETS,
    _QUALITIES,
    _REDUCTION_CATEGORY_VALUES,
    _SECTORS,
    _TARGET_KINDS,
)

__all__: list[str] = []


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
        "fuels": gettext_noop(
            "Natural gas, LPG, liquid fuels, coal and coke burnt inside the boundary; liquid and "
            "solid fuels in t or kg (no density is cited, so litres are not accepted)."
        ),
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
                _Text(Message(gettext_noop("a unit such as kWh, 万kWh, m³, t, GJ, m² or 株"))),
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
            gettext_noop(
                "The annual reduction in tCO2 once at full effect, if typed: it is shown as "
                "declared, not computed. Better leave it empty and state on 减排测算 how the "
                "reduction arises."
            ),
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

_REDUCTIONS = _Sheet(
    "减排测算",
    gettext_noop(
        "How each task's reduction arises (附件2 三): the activity it avoids or adds a year at "
        "full effect, multiplied by the factor of the set or by a project factor with its "
        "source. A task without a row here keeps its typed figure, shown as declared, not "
        "computed."
    ),
    (
        _Field(
            "任务编号",
            ("task",),
            _Text(
                Message(gettext_noop("the id of a task, e.g. T01")),
                r"[0-9A-Za-z._-]+",
            ),
            gettext_noop("The id of the task on the sheet 任务与项目."),
            required=True,
            width=10,
        ),
        _Field(
            "变化",
            ("change",),
            _Choice(_CHANGES),
            gettext_noop(
                "Avoided: no longer used (saved, displaced, switched away from); added: used or "
                "produced because of the task (charging electricity, self-consumed PV, trees)."
            ),
            required=True,
            width=18,
            options="change",
        ),
        _Field(
            "类别",
            ("category",),
            _Choice(_CATEGORIES.only("category_reductions", _REDUCTION_CATEGORY_VALUES)),
            gettext_noop(
                "The category whose factor applies; self-consumed PV displaces grid electricity."
            ),
            required=True,
            width=26,
            options="category_reductions",
        ),
        _Field(
            "数量（每年）",
            ("quantity",),
            _Number(_ANY_NUMBER, Decimal(0)),
            gettext_noop("The amount a year once the task is at full effect."),
            required=True,
        ),
        _Field(
            "单位",
            ("unit",),
            _Text(Message(gettext_noop("a unit such as kWh, 万kWh, m³, t, GJ, m² or 株"))),
            gettext_noop("The unit of the amount."),
            required=True,
            width=10,
            options="unit_reductions",
            strict=False,
        ),
        _Field(
            "说明",
            ("label",),
            _NOTE,
            gettext_noop(
                "A finer name; for green space and trees the sink type (乔木绿地, 硬阔Ⅱ类)."
            ),
            width=24,
        ),
        _Field(
            "项目因子值",
            ("factor", "value"),
            _Number(_ANY_NUMBER, Decimal(0)),
            gettext_noop("Only for a project-specific factor instead of the set's: its value."),
            width=12,
        ),
        _Field(
            "项目因子单位",
            ("factor", "unit"),
            _Text(Message(gettext_noop("a factor unit such as tCO2/t or kgCO2/kWh"))),
            gettext_noop("The project factor's unit, e.g. kgCO2/kWh."),
            width=14,
        ),
        _Field(
            "项目因子来源",
            ("factor", "source"),
            _NOTE,
            gettext_noop("Where the project factor comes from: a measurement report, a paper."),
            width=30,
        ),
        _Field(
            "可信度",
            ("factor", "confidence"),
            _Choice(_CONFIDENCES),
            gettext_noop("How far the project factor is traced to its source."),
            width=18,
            options="confidence",
        ),
        _Field("备注", ("note",), _NOTE, gettext_noop("A note."), width=30),
    ),
    table=("reductions",),
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
