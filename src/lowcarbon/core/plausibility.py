"""Plausible ranges: the magnitudes a unit's inventory should fall within, and the findings when
it does not.

A figure that is wrong by a factor of 10 000 (万kWh typed as kWh, a record entered twice, a year
with half its records missing) still computes and looks like a number. The ranges turn such
figures into findings with a reason. They are data (``data/plausibility/*.yaml``, read by
:mod:`lowcarbon.rules.plausibility`), each with its source and its basis: ``published`` when
the bounds are read in the source, ``assumption`` when they are the team's stated judgement and
the source only gives the scale. Nothing here reads files.

A finding is not a refusal: a real outlier exists (a zone with a data centre, a community of
students in dormitories). It keeps the inventory from being a final result
(:attr:`~lowcarbon.core.inventory.Inventory.is_final`) and says what to check.

The metrics (the denominators are the year's drivers, the numerators the inventory's lines):

* ``per_capita``: gross emissions (scope 1 + 2) ÷ resident population, tCO2 per person a year;
* ``residential_electricity_per_household``: electricity consumed by the residential sector
  (grid, green power and self-consumed on-site) ÷ households, kWh per household a year;
* ``building_electricity_per_floor_area``: electricity consumed by the residential and the
  public and commercial sectors ÷ their floor area, kWh per m² a year.

A metric whose denominator is not given (or is 0), or whose numerator has no line, is not
judged: the completeness of the inventory reports those gaps.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from .activity import UnitKind
from .messages import Message, gettext_noop
from .text import LocalText

__all__ = [
    "METRIC_NAMES",
    "METRIC_UNITS",
    "PlausibilityFinding",
    "PlausibilityMetric",
    "PlausibleRange",
    "RangeBasis",
]


class PlausibilityMetric(StrEnum):
    PER_CAPITA = "per_capita"
    RESIDENTIAL_ELECTRICITY_PER_HOUSEHOLD = "residential_electricity_per_household"
    BUILDING_ELECTRICITY_PER_FLOOR_AREA = "building_electricity_per_floor_area"


#: The unit each metric is computed in (the ranges' files state their bounds in it).
METRIC_UNITS: dict[PlausibilityMetric, str] = {
    PlausibilityMetric.PER_CAPITA: "tCO2/(person*a)",
    PlausibilityMetric.RESIDENTIAL_ELECTRICITY_PER_HOUSEHOLD: "kWh/(household*a)",
    PlausibilityMetric.BUILDING_ELECTRICITY_PER_FLOOR_AREA: "kWh/(m2*a)",
}

METRIC_NAMES: dict[PlausibilityMetric, str] = {
    PlausibilityMetric.PER_CAPITA: gettext_noop("per-capita emissions"),
    PlausibilityMetric.RESIDENTIAL_ELECTRICITY_PER_HOUSEHOLD: gettext_noop(
        "residential electricity per household"
    ),
    PlausibilityMetric.BUILDING_ELECTRICITY_PER_FLOOR_AREA: gettext_noop(
        "building electricity per m² of floor area"
    ),
}


class RangeBasis(StrEnum):
    """Whether a range's bounds are read in its source or are the team's judgement."""

    PUBLISHED = "published"
    ASSUMPTION = "assumption"


_BASIS_NAMES = {
    RangeBasis.PUBLISHED: gettext_noop("bounds from the cited source"),
    RangeBasis.ASSUMPTION: gettext_noop("bounds are the team's stated assumption"),
}


@dataclass(frozen=True)
class PlausibleRange:
    """The range one metric should fall within for the unit kinds it applies to."""

    id: str  # the file's path under data/plausibility, e.g. community-per-capita
    metric: PlausibilityMetric
    kinds: frozenset[UnitKind]
    low: Decimal
    high: Decimal
    basis: RangeBasis
    source: str  # the citation, as the file gives it
    reason: LocalText  # why the bounds are where they are
    confidence_note: str = ""

    @property
    def unit(self) -> str:
        return METRIC_UNITS[self.metric]

    def contains(self, value: Decimal) -> bool:
        return self.low <= value <= self.high


@dataclass(frozen=True)
class PlausibilityFinding:
    """A figure of one year outside its plausible range."""

    range: PlausibleRange
    year: int
    value: Decimal
    numerator: Decimal
    denominator: Decimal

    @property
    def metric(self) -> PlausibilityMetric:
        return self.range.metric

    @property
    def too_high(self) -> bool:
        return self.value > self.range.high

    @property
    def message(self) -> Message:
        hint = (
            gettext_noop(
                "check the units (万kWh entered as kWh, kg as t), records entered twice and the "
                "denominator"
            )
            if self.too_high
            else gettext_noop(
                "check for missing records, units (kWh entered as 万kWh) and the denominator"
            )
        )
        return Message(
            gettext_noop(
                "{metric} of {year} is {value} {unit}, outside the plausible range {low}–{high} "
                "(range '{range}', {basis}; source: {source}): {hint}"
            ),
            {
                "metric": Message(METRIC_NAMES[self.metric]),
                "year": self.year,
                "value": _shown(self.value),
                "unit": self.range.unit,
                "low": self.range.low,
                "high": self.range.high,
                "range": self.range.id,
                "basis": Message(_BASIS_NAMES[self.range.basis]),
                "source": self.range.source,
                "hint": Message(hint),
            },
        )


def _shown(value: Decimal) -> str:
    """A figure people can read whatever its size: 4 significant digits, exponent if huge."""
    if value != 0 and (abs(value) >= Decimal("1e9") or abs(value) < Decimal("0.001")):
        return f"{value:.3e}"
    return f"{value:.4g}" if abs(value) < 1000 else f"{value:,.0f}"
