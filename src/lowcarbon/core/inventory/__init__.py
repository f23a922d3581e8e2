"""The emission inventory of one unit for one calendar year: activity data × cited factors.

Every figure is traced: each :class:`ActivityRecord` becomes one :class:`InventoryLine` that
keeps the record as entered (quantity, unit, tier, source), its category, sector, scope and GPC
sub-sector, the :class:`~lowcarbon.core.factors.ResolvedFactor` used (id, value, unit, CSV row,
reference, confidence, set), the result in tCO2 and the energy in tce, and notes. Rules, with
the section of accounting-method.md they follow:

* **Period and factor set (§2, §5.2).** The inventory covers one calendar year. Records of
  another year raise :class:`RecordYearError` (never dropped silently). A factor set is used
  for a year only if it is valid on every day of it (:class:`FactorSetYearError`), so a year is
  never split between two vintages (shanghai-2012 ends on 2022-02-10 and cannot account for
  2022). A set pins one dated value per category, so the value does not depend on the day;
  factors are resolved on 31 December, the end of the reporting period.
* **Scopes (§4, GPC §11).** Scope 1: the fuels natural_gas, lpg, gasoline, diesel, fuel_oil,
  kerosene, lng, coal, coke, crude_oil, refinery_dry_gas. Scope 2: electricity, heat,
  green_electricity. EV charging is electricity with sector ``transport`` (§5.5, GPC II.1). A
  fuel the set does not pin (kerosene under the first editions) raises the library's
  :class:`~lowcarbon.core.factors.CategoryNotCoveredError`, never 0.
* **Green power (§5.3, 沪环气候〔2023〕89号).** A green_electricity record resolves the set's
  green_electricity factor (0 under shanghai-2023-green-power). Under a set that does not pin
  it, :class:`GreenElectricityNotCoveredError` names the sets that do; for a year that ends
  before the rule's value date, :class:`GreenPowerRuleNotInForceError`. Each green line keeps,
  as a memo, what the same kWh would emit at the set's grid factor ("report the gross figure
  alongside", §5.3).
* **On-site renewables (§5.3, §7).** Self-consumed PV (onsite_renewable_electricity) and solar
  thermal are zero-emission supply: 0 tCO2, counted in energy and in the renewable share, never
  subtracted from emissions. renewable_export (PV fed to the grid) is a memo in kWh only.
* **Energy in tce (§7, GB/T 2589-2020).** Electricity of every kind × the set's
  electricity_coal_equivalent (0.1229 kgce/kWh, calorific equivalent 当量值); fuels: quantity ×
  the set's ``<fuel>_coal_equivalent`` coefficient (GB/T 2589-2020 附录A, e.g. 1.4714 kgce/kg of
  gasoline) when the set pins one, else quantity × the fuel's NCV (the NCV factor the emission
  factor is derived from, so the same source, §5.1) ÷ 29.3076 GJ/tce (1 kgce = 29 307.6 kJ);
  heat and solar thermal in GJ ÷ 29.3076. When the set
  pins no coal equivalent (shanghai-2012) or the fuel factor names no NCV, the line's tce is
  ``None`` with a note and the inventory's total tce is ``None``: never a silent 0.
* **Sinks (§5.9).** green_space (by area) and trees (by count) use the set's sink factors and
  are their own lines, reported separately and never netted into gross; net = gross − sinks is
  a memo only. The record's ``label`` names the vegetation type or tree group (see
  :data:`SINK_LABELS`); anything else raises :class:`UnknownSinkTypeError`: lawns and shrubs
  have no verified rate (§5.9 [GAP]) and the Shanghai per-species rates do not say whether
  their mass is C or CO2 (factors page), so neither is guessed.
* **Waste and water supply (§5.6, §5.8).** No official inventory factor exists and no set pins
  one: their lines carry the GPC notation key NE (not estimated, §8) and a note, contribute
  nothing, and are listed under :attr:`Inventory.not_estimated`, never shown as 0.
* **Units and quantities.** A unit that does not measure what the category measures (m³ of
  electricity) raises the units layer's :class:`~lowcarbon.core.units.UnitDimensionError`
  naming the record; a negative or non-finite quantity raises :class:`InvalidQuantityError`.
  Litres of vehicle fuel are refused (a volume, not the mass the factors are per): §5.1 notes
  that the densities in use are not normative.
* **Totals (§6).** The gross total is scope 1 + 2, the "core energy total" used for targets.
  Totals by scope, category and sector cover the emission lines, and so do their shares of
  gross (:meth:`Inventory.shares`), rounded by the largest remainder so that each breakdown
  adds up to exactly 100 % (:mod:`lowcarbon.core.shares`); shares by data-quality tier (§8) are
  shares of gross.
* **Completeness.** Electricity is always required, natural gas for communities, and the
  year's drivers with a resident population above 0; any record of quality ``default`` is a
  gap. :attr:`Inventory.is_final` is False while anything is missing, so a draft never passes
  as a final result. A present record with quantity 0 counts as reported.

::

    LowcarbonError (core)
    └── InventoryError                      the records cannot be accounted as given
        ├── RecordYearError                 a record of another year
        ├── DuplicateRecordError            one record entered twice (same source, label, quantity)
        ├── FactorSetYearError              the set is not valid for the whole year
        ├── InvalidQuantityError            a negative or non-finite quantity
        ├── GreenElectricityNotCoveredError green power under a set without a green factor
        ├── GreenPowerRuleNotInForceError   green power for a year before 89号
        └── UnknownSinkTypeError            a sink record whose label names no sink factor

The package: :mod:`~.categories` (the vocabulary: categories, scopes, roles, sink labels),
:mod:`~.errors`, :mod:`~.lines` (:class:`InventoryLine`), :mod:`~.totals` (:class:`Inventory`
and its totals) and :mod:`~.calculation` (:func:`calculate_inventory`).
"""

from __future__ import annotations

from .calculation import calculate_inventory
from .categories import (
    COAL_EQUIVALENT_CATEGORY,
    ELECTRICITY_CATEGORIES,
    FUEL_CATEGORIES,
    GJ_PER_TCE,
    RENEWABLE_CATEGORIES,
    SINK_LABELS,
    GpcSubSector,
    LineRole,
    NotationKey,
    RecordIdentity,
    Scope,
    record_identity,
)
from .errors import (
    DuplicateRecordError,
    FactorSetYearError,
    GreenElectricityNotCoveredError,
    GreenPowerRuleNotInForceError,
    InvalidQuantityError,
    InventoryError,
    RecordYearError,
    UnknownSinkTypeError,
    describe_record,
)
from .lines import InventoryLine
from .totals import CarrierEnergy, Completeness, Inventory, InventoryShares

__all__ = [
    "COAL_EQUIVALENT_CATEGORY",
    "ELECTRICITY_CATEGORIES",
    "FUEL_CATEGORIES",
    "GJ_PER_TCE",
    "RENEWABLE_CATEGORIES",
    "SINK_LABELS",
    "CarrierEnergy",
    "Completeness",
    "DuplicateRecordError",
    "FactorSetYearError",
    "GpcSubSector",
    "GreenElectricityNotCoveredError",
    "GreenPowerRuleNotInForceError",
    "InvalidQuantityError",
    "Inventory",
    "InventoryError",
    "InventoryLine",
    "InventoryShares",
    "LineRole",
    "NotationKey",
    "RecordIdentity",
    "RecordYearError",
    "Scope",
    "UnknownSinkTypeError",
    "calculate_inventory",
    "describe_record",
    "record_identity",
]
