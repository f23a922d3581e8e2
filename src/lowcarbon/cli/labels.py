"""Names people read for the accounting vocabulary (enum values stay the machine ids)."""

from __future__ import annotations

from lowcarbon.core.activity import Domain, SourceCategory, TargetKind
from lowcarbon.core.messages import gettext_noop

__all__ = ["CATEGORY", "DOMAIN", "EFFECT", "INDICATOR", "QUALITY", "SECTOR", "TARGET"]

QUALITY: dict[str, str] = {
    "measured": gettext_noop("measured"),
    "calculated": gettext_noop("calculated"),
    "estimated": gettext_noop("estimated"),
    "default": gettext_noop("default value"),
}

CATEGORY: dict[str, str] = {
    SourceCategory.ELECTRICITY: gettext_noop("purchased electricity"),
    SourceCategory.GREEN_ELECTRICITY: gettext_noop("green power"),
    SourceCategory.HEAT: gettext_noop("purchased heat"),
    SourceCategory.NATURAL_GAS: gettext_noop("natural gas"),
    SourceCategory.LPG: gettext_noop("LPG"),
    SourceCategory.GASOLINE: gettext_noop("gasoline"),
    SourceCategory.DIESEL: gettext_noop("diesel"),
    SourceCategory.FUEL_OIL: gettext_noop("fuel oil"),
    SourceCategory.KEROSENE: gettext_noop("kerosene"),
    SourceCategory.LNG: gettext_noop("LNG"),
    SourceCategory.ONSITE_RENEWABLE_ELECTRICITY: gettext_noop("on-site renewable electricity"),
    SourceCategory.RENEWABLE_EXPORT: gettext_noop("renewable electricity exported"),
    SourceCategory.SOLAR_THERMAL: gettext_noop("solar thermal"),
    SourceCategory.WASTE: gettext_noop("waste"),
    SourceCategory.WATER_SUPPLY: gettext_noop("water supply"),
    SourceCategory.GREEN_SPACE: gettext_noop("green space"),
    SourceCategory.TREES: gettext_noop("trees (by count)"),
}

SECTOR: dict[str, str] = {
    "residential": gettext_noop("residential"),
    "commercial_public": gettext_noop("public and commercial"),
    "industry": gettext_noop("industry"),
    "transport": gettext_noop("transport"),
    "waste": gettext_noop("waste sector"),
    "land": gettext_noop("land"),
    "other": gettext_noop("other"),
}

DOMAIN: dict[str, str] = {
    Domain.ENERGY: gettext_noop("energy supply and use"),
    Domain.BUILDINGS: gettext_noop("buildings"),
    Domain.TRANSPORT: gettext_noop("transport"),
    Domain.GOVERNANCE: gettext_noop("governance"),
    Domain.BEHAVIOUR: gettext_noop("low-carbon behaviour"),
    Domain.WASTE: gettext_noop("waste"),
    Domain.GREENING: gettext_noop("greening"),
    Domain.DEMONSTRATION: gettext_noop("demonstration projects"),
}

TARGET: dict[str, str] = {
    TargetKind.TOTAL: gettext_noop("total emissions"),
    TargetKind.DECLINE_RATE: gettext_noop("emission decline rate"),
    TargetKind.PER_CAPITA: gettext_noop("per-capita emissions"),
    TargetKind.PER_CAPITA_DECLINE_RATE: gettext_noop("per-capita decline rate"),
    TargetKind.INTENSITY_GDP: gettext_noop("emissions per 10^4 yuan GDP"),
    TargetKind.RENEWABLE_SHARE: gettext_noop("renewable share"),
    TargetKind.SOURCE_SINK_RATIO: gettext_noop("source-to-sink ratio"),
}

INDICATOR: dict[str, str] = {
    "total": gettext_noop("total emissions"),
    "per_capita": gettext_noop("per-capita emissions"),
    "per_household": gettext_noop("emissions per household"),
    "per_floor_area": gettext_noop("building emissions per m² floor area"),
    "per_gdp": gettext_noop("emissions per 10^4 yuan GDP"),
    "renewable_share": gettext_noop("renewable share (tce)"),
    "renewable_electricity_share": gettext_noop("renewable share of electricity"),
    "source_sink_ratio": gettext_noop("source-to-sink ratio"),
    "decline_rate": gettext_noop("emission decline rate (like for like)"),
    "per_capita_decline_rate": gettext_noop("per-capita decline rate"),
    "apparent_decline_rate": gettext_noop("apparent decline rate (as reported)"),
    "factor_change_effect": gettext_noop("change due to the factor set (not a reduction)"),
}

EFFECT: dict[str, str] = {
    "population": gettext_noop("population"),
    "intensity": gettext_noop("energy per person"),
    "mix": gettext_noop("energy mix"),
    "emission_factor": gettext_noop("emission factors"),
}
