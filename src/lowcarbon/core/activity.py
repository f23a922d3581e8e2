"""Inputs of the carbon accounting: the unit's profile, its activity data, tasks and targets.

The vocabulary follows accounting-method.md (§4 source categories, §8 data-quality tiers, §9
drivers, tasks and scenarios) and the indicators the seed names: 碳排放下降率,
可再生能源利用占比, 碳源碳汇比 (附件1 三、1) and 人均碳排放量及下降率 (附件3 三、1).
Everything here is plain data: :mod:`lowcarbon.core.inventory` and
:mod:`lowcarbon.core.forecast` compute from it; :mod:`lowcarbon.rules.activity` reads it from
YAML or the data-collection workbook.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from .messages import gettext_noop

__all__ = [
    "CATEGORY_NAMES",
    "DEFAULT_FACTOR_SET",
    "SECTOR_NAMES",
    "AccountingInput",
    "ActivityChange",
    "ActivityRecord",
    "Boundary",
    "DataQuality",
    "Domain",
    "ForecastAssumptions",
    "ProjectFactor",
    "ReductionActivity",
    "Sector",
    "SourceCategory",
    "SourceKey",
    "Target",
    "TargetKind",
    "Task",
    "UnitKind",
    "UnitProfile",
    "YearDrivers",
]


class UnitKind(StrEnum):
    ZONE = "zone"  # 低碳发展实践区（近零碳排放实践区）
    COMMUNITY = "community"  # 低碳社区（近零碳排放社区）


class SourceCategory(StrEnum):
    """What was consumed, produced or stored (accounting-method.md §4).

    The values of the emission-bearing categories are the category names of the factor sets
    (``data/factors/sets``), so a record resolves its factor by its category.
    """

    ELECTRICITY = "electricity"  # purchased grid electricity, scope 2 (§5.2)
    GREEN_ELECTRICITY = "green_electricity"  # qualifying green-power trades (§5.3, 89号)
    HEAT = "heat"  # purchased heat, steam, cold, scope 2 (§5.4)
    NATURAL_GAS = "natural_gas"  # scope 1 (§5.1)
    LPG = "lpg"
    GASOLINE = "gasoline"
    DIESEL = "diesel"
    FUEL_OIL = "fuel_oil"
    KEROSENE = "kerosene"
    LNG = "lng"
    COAL = "coal"  # coal of unspecified type, accounted as bituminous (steam) coal
    COKE = "coke"
    CRUDE_OIL = "crude_oil"
    REFINERY_DRY_GAS = "refinery_dry_gas"  # 炼厂干气, in tonnes as energy statistics count it
    ONSITE_RENEWABLE_ELECTRICITY = "onsite_renewable_electricity"  # self-consumed PV, §5.3
    RENEWABLE_EXPORT = "renewable_export"  # PV fed to the grid: memo only, §5.3
    SOLAR_THERMAL = "solar_thermal"  # renewable heat, GJ (§7)
    WASTE = "waste"  # scope 3, informational until an official factor exists (§5.6)
    WATER_SUPPLY = "water_supply"  # informational scope 3 (§5.8)
    GREEN_SPACE = "green_space"  # sink by area (§5.9)
    TREES = "trees"  # sink by tree count (§5.9)


class Sector(StrEnum):
    """Who used it (GPC sub-sectors, accounting-method.md §11)."""

    RESIDENTIAL = "residential"  # I.1 居民建筑
    COMMERCIAL_PUBLIC = "commercial_public"  # I.2 公共建筑、商业、物业公共设施
    INDUSTRY = "industry"  # I.3 工业企业
    TRANSPORT = "transport"  # II 交通 (fuel, and EV charging electricity, §5.5)
    WASTE = "waste"  # III
    LAND = "land"  # V 绿地碳汇
    OTHER = "other"


SourceKey = tuple[SourceCategory, Sector]

#: What people call each category and sector (message ids; Chinese in the catalogue). Every
#: layer names records with these: error messages, tables, reports.
CATEGORY_NAMES: dict[SourceCategory, str] = {
    SourceCategory.ELECTRICITY: gettext_noop("electricity"),
    SourceCategory.GREEN_ELECTRICITY: gettext_noop("green power"),
    SourceCategory.HEAT: gettext_noop("purchased heat"),
    SourceCategory.NATURAL_GAS: gettext_noop("natural gas"),
    SourceCategory.LPG: gettext_noop("LPG"),
    SourceCategory.GASOLINE: gettext_noop("gasoline"),
    SourceCategory.DIESEL: gettext_noop("diesel"),
    SourceCategory.FUEL_OIL: gettext_noop("fuel oil"),
    SourceCategory.KEROSENE: gettext_noop("kerosene"),
    SourceCategory.LNG: gettext_noop("LNG"),
    SourceCategory.COAL: gettext_noop("coal"),
    SourceCategory.COKE: gettext_noop("coke"),
    SourceCategory.CRUDE_OIL: gettext_noop("crude oil"),
    SourceCategory.REFINERY_DRY_GAS: gettext_noop("refinery dry gas"),
    SourceCategory.ONSITE_RENEWABLE_ELECTRICITY: gettext_noop("on-site renewable electricity"),
    SourceCategory.RENEWABLE_EXPORT: gettext_noop("renewable electricity exported"),
    SourceCategory.SOLAR_THERMAL: gettext_noop("solar thermal"),
    SourceCategory.WASTE: gettext_noop("waste"),
    SourceCategory.WATER_SUPPLY: gettext_noop("water supply"),
    SourceCategory.GREEN_SPACE: gettext_noop("green space"),
    SourceCategory.TREES: gettext_noop("trees (by count)"),
}

SECTOR_NAMES: dict[Sector, str] = {
    Sector.RESIDENTIAL: gettext_noop("residential"),
    Sector.COMMERCIAL_PUBLIC: gettext_noop("public and commercial"),
    Sector.INDUSTRY: gettext_noop("industry"),
    Sector.TRANSPORT: gettext_noop("transport"),
    Sector.WASTE: gettext_noop("waste sector"),
    Sector.LAND: gettext_noop("land"),
    Sector.OTHER: gettext_noop("other"),
}


class DataQuality(StrEnum):
    """Data-quality tiers (accounting-method.md §8): A metered … C estimated, plus defaults."""

    MEASURED = "measured"  # A: meters, bills, invoices, ETS reports
    CALCULATED = "calculated"  # B: statistics, allocations
    ESTIMATED = "estimated"  # C: benchmarks, surveys, literature
    DEFAULT = "default"  # a default value stands in for missing data


class Domain(StrEnum):
    """Task domains: zones 能源、建筑、交通、监管体系、低碳人文 (附件1 三、2); communities
    组织管理、低碳行为、低碳示范项目 (附件3 三、3)."""

    ENERGY = "energy"
    BUILDINGS = "buildings"
    TRANSPORT = "transport"
    GOVERNANCE = "governance"  # 监管体系 / 组织管理
    BEHAVIOUR = "behaviour"  # 低碳人文 / 低碳行为
    WASTE = "waste"
    GREENING = "greening"
    DEMONSTRATION = "demonstration"  # 低碳示范项目


@dataclass(frozen=True)
class Boundary:
    """四至边界 (附件2 一): the four sides in words, and the polygon when one is drawn."""

    four_sides: str
    area_km2: Decimal | None = None
    geometry: Mapping[str, object] | None = None  # a GeoJSON Polygon or MultiPolygon


@dataclass(frozen=True)
class YearDrivers:
    """Size of the unit in one year: the denominators of the indicators and the BAU drivers."""

    year: int
    resident_population: int  # 常住人口 (the per-capita denominator, §7)
    registered_population: int | None = None  # 户籍人口, shown for reference
    households: int | None = None  # 户数
    floor_area_m2: Mapping[str, Decimal] = field(default_factory=dict)  # by building type
    gdp_10k_yuan: Decimal | None = None  # zones: 万元 GDP or value added
    employees: int | None = None


@dataclass(frozen=True)
class UnitProfile:
    """The applicant unit (申报单位 / 创建单位) and the area it accounts for."""

    name: str
    kind: UnitKind
    boundary: Boundary
    base_year: int
    drivers: tuple[YearDrivers, ...]

    def drivers_for(self, year: int) -> YearDrivers | None:
        return next((d for d in self.drivers if d.year == year), None)


@dataclass(frozen=True)
class ActivityRecord:
    """One quantity of one source in one year (活动水平数据), with its unit, tier and source."""

    year: int
    category: SourceCategory
    sector: Sector
    quantity: Decimal
    unit: str  # as entered: kWh, 万kWh, m³, t, GJ, hm2, tree …
    quality: DataQuality
    source: str = ""  # where the figure comes from (bill, ledger, survey …)
    label: str = ""  # a finer name such as 居民用电, 公共照明, 乔木
    #: Where the record was read ("accounting.yaml line 41", "电力 row 5"), for messages only:
    #: it takes no part in equality, so the same record read from two files is the same record.
    origin: str = field(default="", compare=False)

    @property
    def key(self) -> SourceKey:
        return (self.category, self.sector)


class ActivityChange(StrEnum):
    """How a task changes an activity: energy or fuel no longer used, or energy, renewables or
    sinks it adds (the charging electricity of converted vehicles, PV, trees)."""

    AVOIDED = "avoided"
    ADDED = "added"


@dataclass(frozen=True)
class ProjectFactor:
    """A factor particular to a project (a measured or published figure) instead of the set's,
    with its source and its confidence (a level of :class:`lowcarbon.core.factors.Confidence`)."""

    value: Decimal
    unit: str  # e.g. tCO2/t, kgCO2/kWh
    source: str
    confidence: str


@dataclass(frozen=True)
class ReductionActivity:
    """How a task's reduction arises: an amount of one category avoided or added a year at
    full effect (:mod:`lowcarbon.core.reductions` multiplies it by its factor)."""

    task_id: str
    change: ActivityChange
    category: SourceCategory
    quantity: Decimal
    unit: str
    label: str = ""  # the sink type for green space and trees (乔木绿地, 硬阔Ⅱ类 …)
    factor: ProjectFactor | None = None
    note: str = ""
    origin: str = field(default="", compare=False)  # where it was read, for messages only


@dataclass(frozen=True)
class Task:
    """A main task or key project with the reduction it promises (附件2 三: 对主要低碳发展任务
    提出碳排放减量). ``annual_reduction_tco2`` is the full-year effect once ramped up: the figure
    typed (``reduction_stated``), which activities of the task replace by a computed one
    (:class:`ReductionActivity`, :mod:`lowcarbon.core.reductions`)."""

    id: str
    name: str
    domain: Domain
    acts_on: tuple[SourceKey, ...]  # the sources whose emissions it reduces
    annual_reduction_tco2: Decimal
    start_year: int
    ramp_years: int = 1  # years from start to the full effect (linear)
    key_project: bool = False  # 重点项目
    near_zero_demonstration: bool = False  # 近零碳排放示范项目 (附件2 四 约束项)
    adds_renewable_kwh: Decimal = Decimal(0)  # new self-consumed renewable electricity a year
    adds_sink_tco2: Decimal = Decimal(0)  # new annual sequestration (planting, adoption)
    reduction_stated: bool = True  # whether annual_reduction_tco2 was typed by a person


class TargetKind(StrEnum):
    """Target types the seed names (附件1 三、1; 附件2 三; 附件3 三、1)."""

    TOTAL = "total"  # 总量控制: gross emissions at most value tCO2
    DECLINE_RATE = "decline_rate"  # 碳排放下降率 against the base year, at least value %
    PER_CAPITA = "per_capita"  # 人均碳排放 at most value tCO2/person
    PER_CAPITA_DECLINE_RATE = "per_capita_decline_rate"  # 人均碳排放下降率, at least value %
    INTENSITY_GDP = "intensity_gdp"  # 强度: at most value tCO2 per 10^4 yuan
    RENEWABLE_SHARE = "renewable_share"  # 可再生能源利用占比, at least value %
    SOURCE_SINK_RATIO = "source_sink_ratio"  # 碳源碳汇比, at most value


@dataclass(frozen=True)
class ForecastAssumptions:
    """Business-as-usual drivers (accounting-method.md §9), as yearly growth rates in percent.

    Where the profile gives drivers for a future year (planned population or floor area), the
    forecast uses them; these rates fill the years in between and beyond.
    """

    population_growth_pct: Decimal = Decimal(0)
    floor_area_growth_pct: Decimal = Decimal(0)
    gdp_growth_pct: Decimal = Decimal(0)
    efficiency_improvement_pct: Decimal = Decimal(0)  # autonomous intensity decline a year
    target_years: tuple[int, ...] = ()
    note: str = ""


@dataclass(frozen=True)
class Target:
    """A target for one year; several years of one kind are the staged targets (分阶段目标)."""

    kind: TargetKind
    year: int
    value: Decimal
    overall: bool = True  # the overall target (总体目标) rather than a sub-indicator (分项指标)
    note: str = ""


#: The default factor set (docs/accounting/method.md §1: Shanghai 4.2 held constant; edition 2
#: covers every fuel the workbook offers, docs/accounting/factors.md).
DEFAULT_FACTOR_SET = "shanghai-2022-v2"


@dataclass(frozen=True)
class AccountingInput:
    """Everything the accounting and the forecast of one unit compute from.

    ``years`` are the accounting years (the inventories to compute); ``factor_set`` is the id
    of the factor set used for them (accounting-method.md §5.2: one set for the base and every
    target year). ``year_factor_sets`` names another set for some years: a base year reported
    under its historical set keeps it, and comparisons recompute it under the current year's set
    (like for like, the vintage effect apart), as does the forecast's baseline.
    """

    profile: UnitProfile
    records: tuple[ActivityRecord, ...]
    tasks: tuple[Task, ...] = ()
    targets: tuple[Target, ...] = ()
    assumptions: ForecastAssumptions = field(default_factory=ForecastAssumptions)
    factor_set: str = DEFAULT_FACTOR_SET
    years: tuple[int, ...] = ()
    year_factor_sets: Mapping[int, str] = field(default_factory=dict)
    reductions: tuple[ReductionActivity, ...] = ()  # how the tasks' reductions arise

    def factor_set_for(self, year: int) -> str:
        """The set the inventory of ``year`` is computed under."""
        return self.year_factor_sets.get(year, self.factor_set)
