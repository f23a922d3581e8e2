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
    "to_places",
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
    return to_places(value.numerator, value.denominator, down=down)


def to_places(numerator: int, denominator: int, *, down: bool = False) -> Decimal:
    """``numerator / denominator`` (``denominator`` > 0) rounded as :func:`to_decimal` does.

    Exact products and quotients of Decimals can be rounded this way on the integers of their
    ratios, without building (and reducing) a Fraction for each step.
    """
    # What round() and math.floor() of the value × 10^6 give.
    units, remainder = divmod(numerator * _SCALE, denominator)
    if not down and (2 * remainder > denominator or (2 * remainder == denominator and units % 2)):
        units += 1
    return Decimal(units).scaleb(-PLACES)


def _shown(value: Decimal, quantum: Decimal = _TCO2) -> Decimal:
    return value.quantize(quantum)


def source_label(source: SourceKey) -> str:
    """``electricity/residential``: how a source is named in messages."""
    return f"{source[0].value}/{source[1].value}"
