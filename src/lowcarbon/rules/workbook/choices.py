"""The vocabulary as shown in the workbook: the drop-down lists, machine value → Chinese
label, read back from either, and the sheet name of each activity group.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

__all__: list[str] = []


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
        "coal": "煤炭（按烟煤计）",
        "coke": "焦炭",
        "crude_oil": "原油",
        "refinery_dry_gas": "炼厂干气",
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

_CHANGES = _Choices("change", {"avoided": "减少（不再消耗）", "added": "增加（因任务新增）"})
_CONFIDENCES = _Choices(
    "confidence",
    {
        "primary": "原始文件",
        "primary-via-reproduction": "原始文件（转载）",
        "secondary": "二手转录（待核）",
        "literature": "文献",
        "untraced": "来源不明",
    },
)
#: The categories a reduction activity may name: those with an inventory factor.
_REDUCTION_CATEGORY_VALUES = (
    "electricity",
    "green_electricity",
    "heat",
    "natural_gas",
    "lpg",
    "gasoline",
    "diesel",
    "fuel_oil",
    "kerosene",
    "lng",
    "coal",
    "coke",
    "crude_oil",
    "refinery_dry_gas",
    "onsite_renewable_electricity",
    "green_space",
    "trees",
)
_REDUCTION_UNITS = ("kWh", "万kWh", "MWh", "GJ", "m³", "万m³", "t", "kg", "m²", "hm²", "株")

_GROUP_SHEETS = {
    "electricity": "电力",
    "fuels": "燃气与燃料",
    "heat_renewables": "热力与可再生能源",
    "sinks": "碳汇",
    "waste_water": "废弃物与水",
}
