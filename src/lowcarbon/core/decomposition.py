"""Why gross emissions changed between two years: additive LMDI-I decomposition.

Gross emissions (scope 1 + 2, accounting-method.md §6) are written as a product over energy
carriers i::

    E = Σ_i P · (En/P) · (En_i/En) · (E_i/En_i)
        population · per-capita energy (intensity) · energy mix · emission factor

with P the resident population (§7), En all energy consumed in tce (§7, calorific equivalent)
and En_i, E_i the energy and emissions of carrier i. The additive LMDI-I (Ang 2004) gives each
factor x_k the effect Σ_i L(E_i^T, E_i^0) · ln(x_k,i^T / x_k,i^0), with the logarithmic mean
L(a, b) = (a − b) / (ln a − ln b), L(a, a) = a. Because the logarithms of the four factors add
up to ln(E_i^T / E_i^0), the effects add up to E^T − E^0 exactly (no residual), which the
tests check to 1e-9; :attr:`Decomposition.residual` exposes the rounding left at the working
precision of 60 digits. The logarithms are :func:`lowcarbon.core.logarithms.ln`'s: the same
Decimals as ``Decimal.ln``, found faster.

**Carriers.** Grid electricity, green power and self-consumed on-site renewable electricity are
one carrier, electricity; purchased heat and solar thermal are one carrier, heat; each fuel is
its own. So the emission-factor effect measures a cleaner supply of the same carrier (green
power, PV, solar thermal), and the mix effect a switch between carriers (gas to electricity).

**Zeros** (Ang & Liu 2007, the limit of the small-value strategy). L(a, 0) = L(0, a) = 0.
For a carrier whose emissions are 0 in both years every effect is 0. For a carrier whose
emissions are 0 in one year only, the limit of the LMDI terms as the zero value tends to 0
gives the whole change E_i^T − E_i^0 to the first factor that is zero in that year, in the
order population, intensity, mix, emission factor, the factors after it being undefined there
and taken as equal to the other year's: a carrier not consumed in one year (En_i = 0) goes to
the mix effect; a carrier consumed with no emissions in one year (green power at 0 that later
is grid power) goes to the emission-factor effect; no energy at all in one year (En = 0) goes
to the intensity effect. A population of 0 has no limit and raises (indicators'
:class:`~lowcarbon.core.indicators.ZeroPopulationError`).

**Same factor set.** Both inventories must use one set (:class:`MixedFactorSetsError`), as
every comparison of years (§5.2): otherwise the emission-factor effect would present a change
of factor vintage as a reduction. Recompute the base year under the current set first
(:func:`~lowcarbon.core.indicators.compare_years` does so). Energy in tce must be available
in both years (:class:`EnergyNotAvailableError`).

::

    LowcarbonError (core)
    └── DecompositionError
        ├── MixedFactorSetsError       the inventories use different factor sets
        └── EnergyNotAvailableError    an inventory has no energy in tce
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, localcontext
from enum import StrEnum

from .activity import SourceCategory
from .errors import LowcarbonError
from .indicators import ZeroPopulationError, drivers_of
from .inventory import Inventory
from .logarithms import ln
from .messages import Message, gettext_noop
from .records import quick_init

__all__ = [
    "CARRIER_OF",
    "PRECISION",
    "Carrier",
    "CarrierEffects",
    "Decomposition",
    "DecompositionError",
    "Effect",
    "EnergyNotAvailableError",
    "MixedFactorSetsError",
    "decompose",
    "log_mean",
]

ZERO = Decimal(0)

#: Working precision of the logarithms (significant digits).
PRECISION = 60


class Carrier(StrEnum):
    ELECTRICITY = "electricity"
    HEAT = "heat"
    NATURAL_GAS = "natural_gas"
    LPG = "lpg"
    GASOLINE = "gasoline"
    DIESEL = "diesel"
    FUEL_OIL = "fuel_oil"
    KEROSENE = "kerosene"
    LNG = "lng"
    COAL = "coal"
    COKE = "coke"
    CRUDE_OIL = "crude_oil"
    REFINERY_DRY_GAS = "refinery_dry_gas"


#: The carrier each energy category belongs to (module docstring, "Carriers").
CARRIER_OF: Mapping[SourceCategory, Carrier] = {
    SourceCategory.ELECTRICITY: Carrier.ELECTRICITY,
    SourceCategory.GREEN_ELECTRICITY: Carrier.ELECTRICITY,
    SourceCategory.ONSITE_RENEWABLE_ELECTRICITY: Carrier.ELECTRICITY,
    SourceCategory.HEAT: Carrier.HEAT,
    SourceCategory.SOLAR_THERMAL: Carrier.HEAT,
    SourceCategory.NATURAL_GAS: Carrier.NATURAL_GAS,
    SourceCategory.LPG: Carrier.LPG,
    SourceCategory.GASOLINE: Carrier.GASOLINE,
    SourceCategory.DIESEL: Carrier.DIESEL,
    SourceCategory.FUEL_OIL: Carrier.FUEL_OIL,
    SourceCategory.KEROSENE: Carrier.KEROSENE,
    SourceCategory.LNG: Carrier.LNG,
    SourceCategory.COAL: Carrier.COAL,
    SourceCategory.COKE: Carrier.COKE,
    SourceCategory.CRUDE_OIL: Carrier.CRUDE_OIL,
    SourceCategory.REFINERY_DRY_GAS: Carrier.REFINERY_DRY_GAS,
}


class Effect(StrEnum):
    POPULATION = "population"  # P
    INTENSITY = "intensity"  # En / P, energy per capita
    MIX = "mix"  # En_i / En
    EMISSION_FACTOR = "emission_factor"  # E_i / En_i


_ORDER = (Effect.POPULATION, Effect.INTENSITY, Effect.MIX, Effect.EMISSION_FACTOR)


class DecompositionError(LowcarbonError):
    code = "decomposition"


class MixedFactorSetsError(DecompositionError):
    code = "decomposition_mixed_sets"

    def __init__(self, base: Inventory, current: Inventory) -> None:
        super().__init__(
            Message(
                gettext_noop(
                    "{base_year} was accounted under '{base_set}' and {year} under '{set_id}'; "
                    "recompute {base_year} under '{set_id}' before decomposing, so that a "
                    "change of factors is not shown as a reduction"
                ),
                {
                    "base_year": base.year,
                    "base_set": base.set_id,
                    "year": current.year,
                    "set_id": current.set_id,
                },
            )
        )


class EnergyNotAvailableError(DecompositionError):
    code = "decomposition_energy"

    def __init__(self, inventory: Inventory) -> None:
        super().__init__(
            Message(
                gettext_noop(
                    "the energy of {year} in tce is not available under factor set '{set_id}', "
                    "so the energy factors cannot be separated"
                ),
                {"year": inventory.year, "set_id": inventory.set_id},
            )
        )


def log_mean(a: Decimal, b: Decimal) -> Decimal:
    """The logarithmic mean L(a, b) = (a − b) / (ln a − ln b); L(a, a) = a; L(a, 0) = 0."""
    if a == ZERO or b == ZERO:
        return ZERO
    if a == b:
        return a
    return (a - b) / (ln(a) - ln(b))


@dataclass(frozen=True)
class _Year:
    population: Decimal
    energy: Decimal  # En, tce
    carriers: dict[Carrier, tuple[Decimal, Decimal]]  # carrier → (En_i tce, E_i tCO2)

    def carrier(self, carrier: Carrier) -> tuple[Decimal, Decimal]:
        return self.carriers.get(carrier, (ZERO, ZERO))

    def first_zero(self, carrier: Carrier) -> Effect:
        # The population is above 0 (checked), so one of the energy factors is the zero one.
        energy_i, _ = self.carrier(carrier)
        if self.energy == ZERO:
            return Effect.INTENSITY
        if energy_i == ZERO:
            return Effect.MIX
        return Effect.EMISSION_FACTOR


def _year(inventory: Inventory) -> _Year:
    drivers = drivers_of(inventory)
    if drivers.resident_population <= 0:
        raise ZeroPopulationError(drivers.resident_population, drivers.year)
    carriers: dict[Carrier, tuple[Decimal, Decimal]] = {}
    for line in inventory.energy_lines:
        if line.energy_tce is None:
            raise EnergyNotAvailableError(inventory)
        carrier = CARRIER_OF[line.category]
        energy, emissions = carriers.get(carrier, (ZERO, ZERO))
        # Energy lines always carry tCO2 (0 for zero-emission supply).
        carriers[carrier] = (energy + line.energy_tce, emissions + (line.tco2 or ZERO))
    energy_total = sum((energy for energy, _ in carriers.values()), ZERO)
    return _Year(Decimal(drivers.resident_population), energy_total, carriers)


@quick_init
@dataclass(frozen=True)
class CarrierEffects:
    """One carrier's energy and emissions in both years and its share of each effect."""

    carrier: Carrier
    base_tce: Decimal
    current_tce: Decimal
    base_tco2: Decimal
    current_tco2: Decimal
    effects: Mapping[Effect, Decimal]


@dataclass(frozen=True)
class Decomposition:
    """ΔE = population + intensity + mix + emission-factor effects (tCO2)."""

    base_year: int
    current_year: int
    set_id: str
    base_population: Decimal
    current_population: Decimal
    base_tce: Decimal
    current_tce: Decimal
    base_tco2: Decimal
    current_tco2: Decimal
    effects: Mapping[Effect, Decimal]
    carriers: tuple[CarrierEffects, ...]

    @property
    def change_tco2(self) -> Decimal:
        return self.current_tco2 - self.base_tco2

    @property
    def residual(self) -> Decimal:
        """Change − Σ effects: rounding at the working precision only (LMDI-I is perfect)."""
        with localcontext() as context:
            context.prec = PRECISION
            return self.change_tco2 - sum(self.effects.values(), ZERO)

    def explanation(self) -> tuple[Message, ...]:
        return (
            Message(
                gettext_noop(
                    "change of gross emissions {base_year}→{year}: {change} tCO2 = population "
                    "{population} + energy per capita {intensity} + energy mix {mix} + emission "
                    "factors {emission_factor} (additive LMDI-I, set {set_id})"
                ),
                {
                    "base_year": self.base_year,
                    "year": self.current_year,
                    # Shown to 0.01 t: the logarithms behind the effects carry 28 digits.
                    "change": _shown(self.change_tco2),
                    "set_id": self.set_id,
                    **{effect.value: _shown(self.effects[effect]) for effect in _ORDER},
                },
            ),
        )


def _shown(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"))


class _Logs:
    """ln of the population and total-energy ratios, shared by every carrier and taken once,
    when the first carrier that emits in both years needs them."""

    def __init__(self, base: _Year, current: _Year) -> None:
        self._base, self._current = base, current
        self._values: tuple[Decimal, Decimal] | None = None

    def values(self) -> tuple[Decimal, Decimal]:
        if self._values is None:
            self._values = (
                ln(self._current.population / self._base.population),
                ln(self._current.energy / self._base.energy),
            )
        return self._values


def _carrier_effects(
    base: _Year, current: _Year, carrier: Carrier, logs: _Logs
) -> dict[Effect, Decimal]:
    energy_0, emissions_0 = base.carrier(carrier)
    energy_t, emissions_t = current.carrier(carrier)
    effects = dict.fromkeys(_ORDER, ZERO)
    if emissions_0 == ZERO and emissions_t == ZERO:
        return effects
    if emissions_0 == ZERO:
        effects[base.first_zero(carrier)] = emissions_t
        return effects
    if emissions_t == ZERO:
        effects[current.first_zero(carrier)] = -emissions_0
        return effects
    weight = log_mean(emissions_t, emissions_0)
    # ln of each factor's ratio, from the ratios of P, En, En_i and E_i (all above 0 here).
    ln_population, ln_energy = logs.values()
    ln_energy_i = ln(energy_t / energy_0)
    ln_emissions_i = ln(emissions_t / emissions_0)
    effects[Effect.POPULATION] = weight * ln_population
    effects[Effect.INTENSITY] = weight * (ln_energy - ln_population)
    effects[Effect.MIX] = weight * (ln_energy_i - ln_energy)
    effects[Effect.EMISSION_FACTOR] = weight * (ln_emissions_i - ln_energy_i)
    return effects


def decompose(base: Inventory, current: Inventory) -> Decomposition:
    """The additive LMDI-I decomposition of current − base gross emissions (module docstring).

    The populations are the resident populations of each inventory's drivers.
    """
    if base.set_id != current.set_id:
        raise MixedFactorSetsError(base, current)
    with localcontext() as context:
        context.prec = PRECISION
        year_0, year_t = _year(base), _year(current)
        carriers = tuple(
            carrier
            for carrier in Carrier
            if carrier in year_0.carriers or carrier in year_t.carriers
        )
        per_carrier = []
        totals = dict.fromkeys(_ORDER, ZERO)
        logs = _Logs(year_0, year_t)
        for carrier in carriers:
            effects = _carrier_effects(year_0, year_t, carrier, logs)
            for effect, value in effects.items():
                totals[effect] += value
            energy_0, emissions_0 = year_0.carrier(carrier)
            energy_t, emissions_t = year_t.carrier(carrier)
            per_carrier.append(
                CarrierEffects(carrier, energy_0, energy_t, emissions_0, emissions_t, effects)
            )
    return Decomposition(
        base_year=base.year,
        current_year=current.year,
        set_id=current.set_id,
        base_population=year_0.population,
        current_population=year_t.population,
        base_tce=year_0.energy,
        current_tce=year_t.energy,
        base_tco2=base.gross_tco2,
        current_tco2=current.gross_tco2,
        effects=totals,
        carriers=tuple(per_carrier),
    )
