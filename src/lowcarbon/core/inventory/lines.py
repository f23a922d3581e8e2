"""One inventory line: an activity record's result with its whole trace (factor, tCO2, tce,
notes) and its one-line explanation.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from ..activity import ActivityRecord, DataQuality, Sector, SourceCategory, SourceKey
from ..factors import FactorValue, ResolvedFactor
from ..messages import Message, Term, gettext_noop
from ..records import quick_init
from ..units import Amount
from .categories import GpcSubSector, LineRole, NotationKey, Scope

__all__ = [
    "InventoryLine",
]


@quick_init
@dataclass(frozen=True)
class InventoryLine:
    """One record's result with its whole trace.

    ``tco2`` is the emission of an emission line (0 for zero-emission supply) or the removal
    of a sink line (a positive number); it is ``None`` for memo and not-estimated lines.
    ``energy_tce`` is the energy consumed in tce (``None`` for lines that consume none, or when
    the set gives no conversion; a note then says so). ``quantity`` is the record's quantity in
    the category's unit (kWh, GJ, m³, t, m², tree).
    """

    index: int  # position among the records given (0-based)
    record: ActivityRecord
    role: LineRole
    scope: Scope | None
    gpc: GpcSubSector
    quantity: Amount
    factor: ResolvedFactor | None = None
    tco2: Decimal | None = None
    energy_tce: Decimal | None = None
    coal_equivalent: ResolvedFactor | None = None  # electricity, and fuels when the set pins one
    ncv: FactorValue | None = None  # fuels: the NCV behind the factor
    ncv_factor_id: str | None = None
    grid_equivalent_tco2: Decimal | None = None  # green power at the grid factor (§5.3 memo)
    notation_key: NotationKey | None = None
    notes: tuple[Message, ...] = ()

    @property
    def category(self) -> SourceCategory:
        return self.record.category

    @property
    def sector(self) -> Sector:
        return self.record.sector

    @property
    def key(self) -> SourceKey:
        return self.record.key

    @property
    def quality(self) -> DataQuality:
        return self.record.quality

    def explanation(self) -> Message:
        """One line for "why this number": the record, the factor and the result."""
        amount = {"quantity": self.record.quantity, "unit": Term("unit", self.record.unit)}
        if self.role is LineRole.EMISSION or self.role is LineRole.SINK:
            # Both kinds are resolved with a factor and a result (_emission_line, _sink_line).
            template = (
                gettext_noop("{quantity} {unit} × {factor} = {tco2} tCO2")
                if self.role is LineRole.EMISSION
                else gettext_noop("{quantity} {unit} × {factor} = {tco2} tCO2 removed a year")
            )
            factor = cast(ResolvedFactor, self.factor)
            return Message(template, {**amount, "factor": factor.explanation(), "tco2": self.tco2})
        return Message(_EXPLANATIONS[self.role], amount)


_EXPLANATIONS: dict[LineRole, str] = {
    LineRole.ZERO_EMISSION_SUPPLY: gettext_noop("{quantity} {unit}: zero-emission supply, 0 tCO2"),
    LineRole.MEMO: gettext_noop("{quantity} {unit}: memo item, not counted in any total"),
    LineRole.NOT_ESTIMATED: gettext_noop("{quantity} {unit}: NE (not estimated)"),
}
