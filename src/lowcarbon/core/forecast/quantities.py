"""How projected quantities are rounded (:data:`PLACES`, :func:`to_decimal`) and shown in
messages, the calorific equivalent of electricity, and how a source is named.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from ..activity import SourceKey

__all__ = [
    "ELECTRICITY_TCE_PER_KWH",
    "PLACES",
    "source_label",
    "to_decimal",
]


#: Decimal places of every projected quantity (tCO2 → grams; tce, kWh, persons likewise).
PLACES = 6
_SCALE = 10**PLACES

#: Calorific equivalent of electricity, 0.1229 kgce/kWh (GB/T 2589-2020, ``EN-GB2589-ELEC-TCE``),
#: the conversion §7 prescribes for the renewable share. It converts the renewable kWh that tasks
#: add into tce.
ELECTRICITY_TCE_PER_KWH = Decimal("0.0001229")

_ZERO = Decimal(0)
_TCO2 = Decimal("0.01")  # shown precision of tonnes in messages (the values keep 6 places)


def to_decimal(value: Fraction, *, down: bool = False) -> Decimal:
    """``value`` rounded to :data:`PLACES` decimals: half to even, or down (towards −∞)."""
    # On the integers of the fraction: what round() and math.floor() of value × 10^6 give,
    # without building the scaled fraction.
    denominator = value.denominator
    units, remainder = divmod(value.numerator * _SCALE, denominator)
    if not down and (2 * remainder > denominator or (2 * remainder == denominator and units % 2)):
        units += 1
    return Decimal(units).scaleb(-PLACES)


def _shown(value: Decimal, quantum: Decimal = _TCO2) -> Decimal:
    return value.quantize(quantum)


def source_label(source: SourceKey) -> str:
    """``electricity/residential``: how a source is named in messages."""
    return f"{source[0].value}/{source[1].value}"
