"""Names people read for the accounting vocabulary (enum values stay the machine ids).

One table for every reader: the command line, the web pages and the generated documents.
"""

from __future__ import annotations

from .activity import CATEGORY_NAMES, SECTOR_NAMES, Domain, TargetKind
from .messages import gettext_noop

__all__ = [
    "ACCEPTANCE_OUTCOME",
    "CATEGORY",
    "CONFIDENCE",
    "DOMAIN",
    "EFFECT",
    "INDICATOR",
    "QUALITY",
    "REDUCTION_STATUS",
    "SECTOR",
    "TARGET",
]

QUALITY: dict[str, str] = {
    "measured": gettext_noop("measured"),
    "calculated": gettext_noop("calculated"),
    "estimated": gettext_noop("estimated"),
    "default": gettext_noop("default value"),
}

CATEGORY: dict[str, str] = {key.value: name for key, name in CATEGORY_NAMES.items()}
SECTOR: dict[str, str] = {key.value: name for key, name in SECTOR_NAMES.items()}

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

#: How a task's reduction was obtained (``core.reductions.ReductionStatus``).
REDUCTION_STATUS: dict[str, str] = {
    "computed": gettext_noop("computed"),
    "declared": gettext_noop("declared, not computed"),
    "none": gettext_noop("none"),
}

#: How far a factor is traced to its source (``core.factors.Confidence``).
CONFIDENCE: dict[str, str] = {
    "primary": gettext_noop("issuing document"),
    "primary-via-reproduction": gettext_noop("issuing document, as reproduced"),
    "secondary": gettext_noop("secondary transcription"),
    "literature": gettext_noop("literature"),
    "untraced": gettext_noop("source unknown"),
}

#: The outcome of a mid-term evaluation or an acceptance (``core.acceptance.AcceptanceOutcome``).
ACCEPTANCE_OUTCOME: dict[str, str] = {
    "passed": gettext_noop("passed"),
    "reinspect": gettext_noop("re-inspection after rectification"),
    "failed": gettext_noop("not passed"),
}
