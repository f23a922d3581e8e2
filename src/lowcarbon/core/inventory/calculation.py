"""The calculation: each activity record resolved against the factor set into an
inventory line (emissions, green power, energy in tce, sinks, not-estimated items), and
:func:`calculate_inventory`, which accounts one unit for one year.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from weakref import WeakKeyDictionary

from ..activity import ActivityRecord, Sector, SourceCategory, UnitProfile
from ..factors import CategoryNotCoveredError, FactorLibrary, FactorSet, FactorValue, ResolvedFactor
from ..messages import Message, gettext_noop
from ..records import quick_init
from ..units import (
    Amount,
    Unit,
    UnitDimensionError,
    UnknownUnitError,
    conversion_scale,
    parse_unit,
    rate_scale,
)
from .categories import (
    _CANONICAL_UNIT,
    _GJ,
    _GPC_BY_CATEGORY,
    _GPC_BY_SECTOR,
    _HEAT_LIKE,
    _ROLE_AND_SCOPE,
    _SINK_LOOKUP,
    _TCE,
    _TCO2,
    _TCO2_PER_YEAR,
    COAL_EQUIVALENT_CATEGORY,
    FUEL_CATEGORIES,
    GJ_PER_TCE,
    ZERO,
    GpcSubSector,
    LineRole,
    NotationKey,
    RecordIdentity,
    Scope,
    _label_key,
    fuel_coal_equivalent_category,
)
from .errors import (
    DuplicateRecordError,
    FactorSetYearError,
    GreenElectricityNotCoveredError,
    GreenPowerRuleNotInForceError,
    InvalidQuantityError,
    RecordYearError,
    UnknownSinkTypeError,
    describe_record,
)
from .lines import InventoryLine
from .totals import Inventory

__all__ = [
    "calculate_inventory",
]


@quick_init
@dataclass(frozen=True)
class _Context:
    library: FactorLibrary
    factor_set: FactorSet
    year: int
    on: date
    coal_equivalent: ResolvedFactor | None
    recipes: dict[_RecipeKey, _Recipe]


_RecipeKey = tuple[SourceCategory, Sector, str, str]


def _covers_year(factor_set: FactorSet, year: int) -> bool:
    # A set's validity is one interval, so its two ends decide.
    return factor_set.covers(date(year, 1, 1)) and factor_set.covers(date(year, 12, 31))


def calculate_inventory(
    profile: UnitProfile,
    records: Iterable[ActivityRecord],
    library: FactorLibrary,
    set_id: str,
    year: int,
    positions: Sequence[int] | None = None,
) -> Inventory:
    """The inventory of ``profile`` for ``year`` under factor set ``set_id`` (package docstring).

    Raises the named errors of this package, the library's ``FactorError`` (unknown set, a
    category the set lacks) and the units layer's errors naming the record. ``positions`` gives
    each record's position in the caller's full list (the file it came from), so that messages
    and lines number records as the person who wrote them does; by default, their order here.
    """
    factor_set = library.factor_set(set_id)
    if not _covers_year(factor_set, year):
        raise FactorSetYearError(factor_set, year)
    on = date(year, 12, 31)
    try:
        coal_equivalent: ResolvedFactor | None = library.resolve(
            set_id, COAL_EQUIVALENT_CATEGORY, on
        )
    except CategoryNotCoveredError:
        coal_equivalent = None
    recipes = _recipes(library, set_id, on)
    context = _Context(library, factor_set, year, on, coal_equivalent, recipes)
    listed = list(records)
    numbers = list(positions) if positions is not None else list(range(len(listed)))
    lines = tuple(
        _line(context, number, record) for number, record in zip(numbers, listed, strict=True)
    )
    _refuse_duplicates(lines)
    return Inventory(
        profile=profile,
        year=year,
        factor_set=factor_set,
        lines=lines,
        plausible_ranges=library.plausible_ranges,
    )


def _refuse_duplicates(lines: Sequence[InventoryLine]) -> None:
    """Two records of one source with the same label and the same quantity are one record
    entered twice (a copied row, a bill counted again): summing them would double it silently.
    Quantities are compared in the category's unit, so 1 万kWh and 10 000 kWh are the same."""
    seen: dict[RecordIdentity, InventoryLine] = {}
    for line in lines:
        record = line.record
        key = (record.category, record.sector, _label_key(record.label), line.quantity.value)
        first = seen.get(key)
        if first is not None:
            raise DuplicateRecordError(first.index, first.record, line.index, line.record)
        seen[key] = line


def _line(context: _Context, index: int, record: ActivityRecord) -> InventoryLine:
    if record.year != context.year:
        raise RecordYearError(index, record, context.year)
    if not record.quantity.is_finite() or record.quantity < ZERO:
        raise InvalidQuantityError(index, record)
    try:
        return _compute(context, index, record)
    except UnknownUnitError as error:
        raise UnknownUnitError(
            error.text,
            Message(
                gettext_noop("{record}: {reason}"),
                {"record": describe_record(index, record), "reason": error.reason},
            ),
        ) from error
    except UnitDimensionError as error:
        raise UnitDimensionError(
            Message(
                gettext_noop("{record}: {problem}"),
                {"record": describe_record(index, record), "problem": error.message},
            ),
            found=error.found,
            expected=error.expected,
        ) from error


@dataclass(frozen=True, slots=True)
class _Recipe:
    """How a record of one kind (category, sector, unit, and the label of a sink) becomes an
    inventory line under one factor set on one date: everything but the quantity, worked out
    once per library (:func:`_recipe`) so that each record is a few multiplications.

    tCO2 is ``1 × quantity × rate × scale`` as :func:`~lowcarbon.core.units.apply_rate`
    computes it, with the factor's value as rate and the scale of its units; energy likewise
    with ``energy_rate``, then ÷ ``energy_divisor`` when there is one (NCV in GJ ÷ GJ per tce);
    with no ``energy_rate`` but a divisor, the quantity in the category's unit ÷ the divisor
    (heat and solar thermal in GJ). ``grid_rate`` is green power at the grid factor."""

    role: LineRole
    scope: Scope | None
    gpc: GpcSubSector
    canonical: Unit
    to_canonical: Decimal
    factor: ResolvedFactor | None = None
    tco2_rate: tuple[Decimal, Decimal] | None = None
    zero_tco2: bool = False
    grid_rate: tuple[Decimal, Decimal] | None = None
    energy_rate: tuple[Decimal, Decimal] | None = None
    energy_divisor: Decimal | None = None
    coal_equivalent: ResolvedFactor | None = None
    ncv: FactorValue | None = None
    ncv_factor_id: str | None = None
    notation_key: NotationKey | None = None
    notes: tuple[Message, ...] = ()


# Recipes by library, by (set, date), then by (category, sector, unit as written, sink label);
# the library does not change once built, so a recipe holds as long as the library lives.
_RECIPES: WeakKeyDictionary[FactorLibrary, dict[tuple[str, date], dict[_RecipeKey, _Recipe]]] = (
    WeakKeyDictionary()
)


def _recipes(library: FactorLibrary, set_id: str, on: date) -> dict[_RecipeKey, _Recipe]:
    by_set = _RECIPES.get(library)
    if by_set is None:
        by_set = _RECIPES[library] = {}
    recipes = by_set.get((set_id, on))
    if recipes is None:
        recipes = by_set[set_id, on] = {}
    return recipes


def _compute(context: _Context, index: int, record: ActivityRecord) -> InventoryLine:
    category = record.category
    # Only a sink's label decides its factor; other labels are not part of the recipe.
    label = record.label if category in _SINK_LOOKUP else ""
    key = (category, record.sector, record.unit, label)
    recipe = context.recipes.get(key)
    if recipe is None:
        recipe = context.recipes[key] = _recipe(context, index, record)
    quantity = record.quantity
    value = quantity * recipe.to_canonical
    tco2: Decimal | None = None
    if recipe.tco2_rate is not None:
        rate, scale = recipe.tco2_rate
        tco2 = _ONE * quantity * rate * scale
    elif recipe.zero_tco2:
        tco2 = ZERO
    energy: Decimal | None = None
    if recipe.energy_rate is not None:
        rate, scale = recipe.energy_rate
        energy = _ONE * quantity * rate * scale
        if recipe.energy_divisor is not None:
            energy = energy / recipe.energy_divisor
    elif recipe.energy_divisor is not None:
        energy = value / recipe.energy_divisor
    notes = recipe.notes
    grid_equivalent: Decimal | None = None
    if recipe.grid_rate is not None:
        rate, scale = recipe.grid_rate
        grid_equivalent = _ONE * quantity * rate * scale
        notes = (_green_note(grid_equivalent), *notes)
    return InventoryLine(
        index,
        record,
        recipe.role,
        recipe.scope,
        recipe.gpc,
        Amount(value, recipe.canonical),
        recipe.factor,
        tco2,
        energy,
        recipe.coal_equivalent,
        recipe.ncv,
        recipe.ncv_factor_id,
        grid_equivalent,
        recipe.notation_key,
        notes,
    )


_ONE = Decimal(1)


def _green_note(grid_equivalent: Decimal) -> Message:
    return Message(
        gettext_noop(
            "qualifying green power (沪环气候〔2023〕89号): keep the contract, settlement "
            "and green-power certificate; at the grid factor it would be {grid} tCO2"
        ),
        {"grid": grid_equivalent},
    )


def _recipe(context: _Context, index: int, record: ActivityRecord) -> _Recipe:
    """The recipe of ``record``'s kind; raises what a record of that kind raises (its unit, a
    factor the set lacks, an unknown sink type), naming ``record`` as the ``index``-th."""
    category = record.category
    unit = parse_unit(record.unit)
    canonical = _CANONICAL_UNIT[category]
    role, scope = _ROLE_AND_SCOPE[category]
    line = _Draft(
        role=role,
        scope=scope,
        gpc=_GPC_BY_CATEGORY.get(category, _GPC_BY_SECTOR[record.sector]),
        canonical=canonical,
        # conversion_scale() refuses a unit of another dimension than the category's (m³ of
        # electricity).
        to_canonical=conversion_scale(unit, canonical),
    )
    if role is LineRole.EMISSION:
        _emission_line(context, index, record, line, unit)
    elif role is LineRole.ZERO_EMISSION_SUPPLY:
        line.zero_tco2, line.notes = True, (_ZERO_SUPPLY_NOTE,)
        _energy(context, record, line, unit)
    elif role is LineRole.SINK:
        _sink_line(context, index, record, line, unit)
    elif role is LineRole.MEMO:
        line.notes = (_EXPORT_NOTE,)
    else:
        line.notation_key, line.notes = NotationKey.NOT_ESTIMATED, (_NE_NOTES[category],)
    return line.recipe()


@dataclass(slots=True)
class _Draft:
    """A recipe while it is being worked out; :meth:`recipe` freezes it once."""

    role: LineRole
    scope: Scope | None
    gpc: GpcSubSector
    canonical: Unit
    to_canonical: Decimal
    factor: ResolvedFactor | None = None
    tco2_rate: tuple[Decimal, Decimal] | None = None
    zero_tco2: bool = False
    grid_rate: tuple[Decimal, Decimal] | None = None
    energy_rate: tuple[Decimal, Decimal] | None = None
    energy_divisor: Decimal | None = None
    coal_equivalent: ResolvedFactor | None = None
    ncv: FactorValue | None = None
    ncv_factor_id: str | None = None
    notation_key: NotationKey | None = None
    notes: tuple[Message, ...] = ()

    def recipe(self) -> _Recipe:
        return _Recipe(
            self.role,
            self.scope,
            self.gpc,
            self.canonical,
            self.to_canonical,
            self.factor,
            self.tco2_rate,
            self.zero_tco2,
            self.grid_rate,
            self.energy_rate,
            self.energy_divisor,
            self.coal_equivalent,
            self.ncv,
            self.ncv_factor_id,
            self.notation_key,
            self.notes,
        )


def _rate(factor: ResolvedFactor, unit: Unit, result: Unit) -> tuple[Decimal, Decimal]:
    """``factor`` as the rate and scale of :meth:`ResolvedFactor.apply` for ``unit``."""
    return factor.value, rate_scale(unit, factor.unit, result)


_ZERO_SUPPLY_NOTE = Message(
    gettext_noop(
        "zero-emission supply: counted in energy and in the renewable share, never subtracted "
        "from emissions (accounting-method.md §5.3)"
    )
)
_EXPORT_NOTE = Message(
    gettext_noop(
        "renewable electricity fed to the grid (可再生能源上网电量): a memo item, not subtracted "
        "from emissions (accounting-method.md §5.3)"
    )
)
_SINK_NOTE = Message(
    gettext_noop(
        "carbon sink: reported separately and never netted into gross emissions "
        "(accounting-method.md §5.9)"
    )
)
_EV_NOTE = Message(
    gettext_noop(
        "charging electricity: scope 2 reported under transport; do not count it again under "
        "buildings (accounting-method.md §5.5)"
    )
)
_NE_NOTES: dict[SourceCategory, Message] = {
    SourceCategory.WASTE: Message(
        gettext_noop(
            "not estimated (NE): no official per-tonne waste factor exists and no factor set pins "
            "one (accounting-method.md §5.6)"
        )
    ),
    SourceCategory.WATER_SUPPLY: Message(
        gettext_noop(
            "not estimated (NE): the only tap-water factor has untraced provenance and no factor "
            "set pins one (accounting-method.md §5.8)"
        )
    ),
}


def _emission_line(
    context: _Context, index: int, record: ActivityRecord, line: _Draft, unit: Unit
) -> None:
    notes: list[Message] = []
    if record.category is SourceCategory.GREEN_ELECTRICITY:
        factor = _green_factor(context, index, record)
        grid = context.library.resolve(
            context.factor_set.id, SourceCategory.ELECTRICITY.value, context.on
        )
        # The note with the figure at the grid factor comes first, made for each record.
        line.grid_rate = _rate(grid, unit, _TCO2)
        if factor.valid_from > date(context.year, 1, 1):
            notes.append(
                Message(
                    gettext_noop("only green power settled from {valid_from} qualifies"),
                    {"valid_from": factor.valid_from.isoformat()},
                )
            )
    else:
        factor = context.library.resolve(context.factor_set.id, record.category.value, context.on)
    if record.category is SourceCategory.ELECTRICITY and record.sector is Sector.TRANSPORT:
        notes.append(_EV_NOTE)
    line.factor = factor
    line.tco2_rate = _rate(factor, unit, _TCO2)
    line.notes = tuple(notes)
    if record.category in FUEL_CATEGORIES:
        _fuel_energy(context, record, line, unit, factor)
    else:
        _energy(context, record, line, unit)


def _green_factor(context: _Context, index: int, record: ActivityRecord) -> ResolvedFactor:
    set_id = context.factor_set.id
    category = SourceCategory.GREEN_ELECTRICITY.value
    if category not in context.factor_set.categories:
        with_green = sorted(
            other.id
            for other in context.library.sets.values()
            if category in other.categories and _covers_year(other, context.year)
        )
        raise GreenElectricityNotCoveredError(index, record, set_id, with_green)
    factor = context.library.resolve(set_id, category, context.on)
    if factor.valid_from > context.on:
        raise GreenPowerRuleNotInForceError(index, record, factor)
    return factor


def _energy(context: _Context, record: ActivityRecord, line: _Draft, unit: Unit) -> None:
    """Add the tce of an electricity, heat or solar-thermal line (§7)."""
    if record.category in _HEAT_LIKE:
        line.energy_divisor = GJ_PER_TCE
        return
    coal = context.coal_equivalent
    if coal is None:
        note = _no_conversion(context.factor_set.id, COAL_EQUIVALENT_CATEGORY)
        line.notes = (*line.notes, note)
        return
    line.energy_rate = _rate(coal, unit, _TCE)
    line.coal_equivalent = coal


def _fuel_energy(
    context: _Context, record: ActivityRecord, line: _Draft, unit: Unit, factor: ResolvedFactor
) -> None:
    """Add a fuel's tce (§7): quantity × the set's coal-equivalent coefficient for the fuel
    (``<category>_coal_equivalent``, GB/T 2589-2020) when the set pins one, else quantity × the
    NCV its emission factor is derived from (§5.1) ÷ 29.3076 GJ/tce."""
    category = fuel_coal_equivalent_category(record.category)
    if category in context.factor_set.categories:
        coal = context.library.resolve(context.factor_set.id, category, context.on)
        line.energy_rate = _rate(coal, unit, _TCE)
        line.coal_equivalent = coal
        return
    derived_from = context.library.factor(factor.factor_id).derived_from
    if derived_from is None:
        line.notes = (*line.notes, _no_ncv(factor.factor_id))
        return
    ncv = context.library.factor(derived_from.ncv).value_on(factor.valid_from)
    line.energy_rate = (ncv.value, rate_scale(unit, ncv.unit, _GJ))
    line.energy_divisor = GJ_PER_TCE
    line.ncv, line.ncv_factor_id = ncv, derived_from.ncv


def _no_conversion(set_id: str, category: str) -> Message:
    return Message(
        gettext_noop(
            "energy in tce not available: factor set '{set_id}' has no '{category}' factor"
        ),
        {"set_id": set_id, "category": category},
    )


def _no_ncv(factor_id: str) -> Message:
    return Message(
        gettext_noop(
            "energy in tce not available: factor '{factor_id}' names no net calorific value"
        ),
        {"factor_id": factor_id},
    )


def _sink_line(
    context: _Context, index: int, record: ActivityRecord, line: _Draft, unit: Unit
) -> None:
    target = _SINK_LOOKUP[record.category].get(_label_key(record.label))
    if target is None:
        raise UnknownSinkTypeError(index, record)
    factor = context.library.resolve(context.factor_set.id, target, context.on)
    line.factor = factor
    line.tco2_rate = _rate(factor, unit, _TCO2_PER_YEAR)
    line.notes = (_SINK_NOTE,)
