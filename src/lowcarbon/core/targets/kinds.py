"""The kinds of target: which are emission targets and which are to be reached or exceeded,
their names and units, and how values are shown in messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

from ..activity import TargetKind
from ..messages import Message, Term, format_points, gettext_noop

__all__ = [
    "AT_LEAST",
    "EMISSION_KINDS",
]


#: Targets on emissions: they have a required reduction against business as usual.
EMISSION_KINDS = frozenset(
    {
        TargetKind.TOTAL,
        TargetKind.DECLINE_RATE,
        TargetKind.PER_CAPITA,
        TargetKind.PER_CAPITA_DECLINE_RATE,
        TargetKind.INTENSITY_GDP,
    }
)
#: Targets to reach or exceed. The others are limits that must not be exceeded.
AT_LEAST = frozenset(
    {TargetKind.DECLINE_RATE, TargetKind.PER_CAPITA_DECLINE_RATE, TargetKind.RENEWABLE_SHARE}
)

_KIND_NAMES: Mapping[TargetKind, str] = {
    TargetKind.TOTAL: gettext_noop("total emissions"),
    TargetKind.DECLINE_RATE: gettext_noop("emission decline rate"),
    TargetKind.PER_CAPITA: gettext_noop("per-capita emissions"),
    TargetKind.PER_CAPITA_DECLINE_RATE: gettext_noop("per-capita emission decline rate"),
    TargetKind.INTENSITY_GDP: gettext_noop("emissions per 10⁴ yuan of GDP"),
    TargetKind.RENEWABLE_SHARE: gettext_noop("renewable share"),
    TargetKind.SOURCE_SINK_RATIO: gettext_noop("source-to-sink ratio"),
}
_UNITS: Mapping[TargetKind, str] = {
    TargetKind.TOTAL: "tCO2",
    TargetKind.DECLINE_RATE: "%",
    TargetKind.PER_CAPITA: "tCO2/person",
    TargetKind.PER_CAPITA_DECLINE_RATE: "%",
    TargetKind.INTENSITY_GDP: "tCO2/10⁴ yuan",
    TargetKind.RENEWABLE_SHARE: "%",
    TargetKind.SOURCE_SINK_RATIO: "",
}
# Each kind's unit as a (frozen) term, once; None for the ratio without a unit.
_UNIT_TERMS: Mapping[TargetKind, Term | None] = {
    kind: Term("unit", unit) if unit else None for kind, unit in _UNITS.items()
}
# Shown precision in messages; the returned figures are not rounded.
_PLACES: Mapping[TargetKind, Decimal] = {
    TargetKind.PER_CAPITA: Decimal("0.0001"),
    TargetKind.INTENSITY_GDP: Decimal("0.0001"),
}
_TWO = Decimal("0.01")
_HUNDRED = Fraction(100)


def _kind_name(kind: TargetKind) -> Message:
    return Message(_KIND_NAMES[kind])


def _decimal(value: Fraction) -> Decimal:
    """The exact value to the context's 28 significant digits."""
    return Decimal(value.numerator) / Decimal(value.denominator)


def _with_unit(value: Fraction | Decimal, kind: TargetKind) -> Message:
    """The value at the kind's shown precision with its unit (a term readers see named)."""
    number = value if isinstance(value, Decimal) else _decimal(value)
    # Grouped like the tables beside the text (26,975.98, not 26975.98).
    shown = _grouped(format_points(number.quantize(_PLACES.get(kind, _TWO))))
    unit = _UNIT_TERMS[kind]
    if unit is None:
        return Message(gettext_noop("{value}"), {"value": shown})
    return Message(gettext_noop("{value} {unit}"), {"value": shown, "unit": unit})


def _grouped(text: str) -> str:
    whole, point, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{int(whole.lstrip('-')):,}{point}{fraction}"


def _t(value: Fraction | Decimal) -> Message:
    return _with_unit(value, TargetKind.TOTAL)
