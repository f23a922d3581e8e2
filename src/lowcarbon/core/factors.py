"""The emission-factor library: cited, dated values and the locked sets (editions) that pin them.

A :class:`Factor` is one value's history, in the OpenFisca way: each dated
:class:`FactorValue` carries its own value, unit, reference, CSV row id and confidence, and a
value is never edited in place (a new value gets a new date). A :class:`FactorSet` is a named
edition that pins, for each source category, one factor *and one of its dated values*; the
inventory of a base year and of its target years resolves through the same set, so a change of
factor vintage can never show up as a reduction (accounting-method.md §5.2). A correction is a
new set naming the one it supersedes.

Nothing here reads files: ``lowcarbon.rules.factors`` builds the library from ``data/factors``.

::

    LowcarbonError (core)
    └── FactorError                    the library cannot give the factor asked for
        ├── UnknownFactorSetError      no set with that id
        ├── UnknownFactorError         no factor with that id
        ├── CategoryNotCoveredError    the set has no entry for the source category
        ├── OutsideValidityError       the date lies outside the set's validity
        └── FactorValueNotFoundError   the factor has no value for the date asked for
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from functools import cached_property
from types import MappingProxyType
from typing import TypeVar

from .errors import LowcarbonError
from .messages import Message, Term, gettext_noop
from .plausibility import PlausibleRange
from .text import LocalText
from .units import (
    CO2_PER_CARBON,
    Amount,
    Unit,
    UnitDimensionError,
    apply_rate,
    multiply,
    parse_unit,
    same_dimension,
)

__all__ = [
    "DERIVATION_TOLERANCE",
    "CategoryNotCoveredError",
    "Confidence",
    "DerivationCheck",
    "Factor",
    "FactorError",
    "FactorKind",
    "FactorLibrary",
    "FactorSet",
    "FactorValue",
    "FactorValueNotFoundError",
    "FuelDerivation",
    "Gas",
    "OutsideValidityError",
    "ResolvedFactor",
    "SetEntry",
    "UnknownFactorError",
    "UnknownFactorSetError",
    "check_derivations",
    "derive_fuel_factor",
]

#: Derived and published fuel factors agree when they differ by at most this many kgCO2 per kg
#: (or per m³) of fuel: half a unit in the third decimal, the precision the published
#: national defaults are given to (2.162 kgCO2/m³, 2.954 tCO2/t).
DERIVATION_TOLERANCE = Decimal("0.0005")


class Confidence(StrEnum):
    """How far a value is traced to its source (the ``[..]`` markers of emission-factors.csv)."""

    PRIMARY = "primary"  # read in (or confirmed by) the issuing document itself
    PRIMARY_VIA_REPRODUCTION = "primary-via-reproduction"  # official, read from a reproduction
    SECONDARY = "secondary"  # a transcription to verify against the original
    LITERATURE = "literature"  # a research paper, often a case study outside Shanghai
    UNTRACED = "untraced"  # provenance unknown: a placeholder

    @property
    def is_low(self) -> bool:
        """Low-confidence values are flagged wherever they are shown."""
        return self in _LOW_CONFIDENCE


_LOW_CONFIDENCE = frozenset({Confidence.SECONDARY, Confidence.LITERATURE, Confidence.UNTRACED})


class Gas(StrEnum):
    """What a factor's mass counts: CO2 only, CO2-equivalent, nothing (a parameter), unclear."""

    CO2 = "CO2"
    CO2E = "CO2e"
    NONE = "none"
    UNCLEAR = "unclear"  # the source does not say whether it is C or CO2


class FactorKind(StrEnum):
    """What a factor's value is: an emission factor or one of the parameters behind one."""

    EMISSION_FACTOR = "emission_factor"
    NET_CALORIFIC_VALUE = "net_calorific_value"
    CARBON_CONTENT = "carbon_content"
    OXIDATION_RATE = "oxidation_rate"
    COAL_EQUIVALENT = "coal_equivalent"
    SEQUESTRATION_RATE = "sequestration_rate"


class FactorError(LowcarbonError):
    """The library cannot give the factor asked for; never answered with 0."""

    code = "factor"


class UnknownFactorSetError(FactorError):
    code = "factor_set_unknown"

    def __init__(self, set_id: str, known: Iterable[str]) -> None:
        self.set_id = set_id
        super().__init__(
            Message(
                gettext_noop("no factor set '{set_id}'; the sets are: {known}"),
                {"set_id": set_id, "known": sorted(known)},
            )
        )


class UnknownFactorError(FactorError):
    code = "factor_unknown"

    def __init__(self, factor_id: str) -> None:
        self.factor_id = factor_id
        super().__init__(
            Message(
                gettext_noop("no factor '{factor_id}' in the library"), {"factor_id": factor_id}
            )
        )


class CategoryNotCoveredError(FactorError):
    code = "factor_category_not_covered"

    def __init__(self, set_id: str, category: str, covered: Iterable[str]) -> None:
        self.set_id = set_id
        self.category = category
        super().__init__(
            Message(
                gettext_noop(
                    "factor set '{set_id}' has no factor for '{category}'; it covers: {covered}"
                ),
                {"set_id": set_id, "category": category, "covered": list(covered)},
            )
        )


class OutsideValidityError(FactorError):
    code = "factor_set_outside_validity"

    def __init__(self, set_id: str, on: date, valid_from: date, valid_to: date | None) -> None:
        self.set_id = set_id
        self.on = on
        super().__init__(
            Message(
                gettext_noop(
                    "factor set '{set_id}' is valid from {valid_from} to {valid_to}, not on {on}"
                ),
                {
                    "set_id": set_id,
                    "on": on.isoformat(),
                    "valid_from": valid_from.isoformat(),
                    "valid_to": valid_to.isoformat() if valid_to else Message(gettext_noop("now")),
                },
            )
        )


class FactorValueNotFoundError(FactorError):
    code = "factor_value_missing"

    def __init__(self, factor_id: str, when: date, dates: Iterable[date]) -> None:
        self.factor_id = factor_id
        self.when = when
        super().__init__(
            Message(
                gettext_noop(
                    "factor '{factor_id}' has no value for {when}; its values start on: {dates}"
                ),
                {
                    "factor_id": factor_id,
                    "when": when.isoformat(),
                    "dates": [d.isoformat() for d in dates],
                },
            )
        )


@dataclass(frozen=True)
class FactorValue:
    """One dated value with its own citation (a new value is a new entry, never an edit)."""

    value: Decimal
    unit: Unit
    valid_from: date
    reference: str  # the source text as the CSV gives it
    source_id: str  # the emission-factors.csv row id, e.g. EL-SH-2022
    confidence: Confidence
    note: str = ""

    @property
    def amount(self) -> Amount:
        return Amount(self.value, self.unit)


@dataclass(frozen=True)
class FuelDerivation:
    """The parameter factors a fuel's emission factor is derived from (NCV × CC × OF × 44/12)."""

    ncv: str
    carbon_content: str
    oxidation: str


@dataclass(frozen=True)
class Factor:
    """One factor's history; ``id`` is its path in ``data/factors`` (``family/name``)."""

    id: str
    family: str
    label: LocalText
    gas: Gas
    region: str
    values: tuple[FactorValue, ...]  # strictly increasing valid_from
    kind: FactorKind = FactorKind.EMISSION_FACTOR
    inventory_use: bool = True  # False for life-cycle (LCA) factors: context, not inventory
    derived_from: FuelDerivation | None = None

    def value_on(self, when: date) -> FactorValue:
        """The value in force on ``when``: the latest one dated on or before it."""
        current = None
        for value in self.values:
            if value.valid_from <= when:
                current = value
        if current is None:
            raise FactorValueNotFoundError(self.id, when, (v.valid_from for v in self.values))
        return current

    def value_from(self, valid_from: date) -> FactorValue:
        """The value dated exactly ``valid_from`` (the one a set pins)."""
        for value in self.values:
            if value.valid_from == valid_from:
                return value
        raise FactorValueNotFoundError(self.id, valid_from, (v.valid_from for v in self.values))


@dataclass(frozen=True)
class SetEntry:
    """A set's choice for one source category: this factor, this dated value."""

    category: str
    factor_id: str
    value_from: date
    note: str = ""


@dataclass(frozen=True)
class FactorSet:
    """A named, locked edition of factors; a correction is a new set that ``supersedes`` it."""

    id: str
    title: LocalText
    valid_from: date
    valid_to: date | None  # None: open-ended, until a new edition is adopted
    citation: str
    entries: tuple[SetEntry, ...]
    supersedes: str | None = None
    note: str = ""
    content_hash: str = ""  # of the set file, recorded when a result is frozen

    def covers(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def entry(self, category: str) -> SetEntry:
        for entry in self.entries:
            if entry.category == category:
                return entry
        raise CategoryNotCoveredError(self.id, category, self.categories)

    @cached_property
    def categories(self) -> tuple[str, ...]:
        # Worked out once: the inventory asks for every fuel line.
        return tuple(entry.category for entry in self.entries)


@dataclass(frozen=True)
class ResolvedFactor:
    """The factor one set gives one category on one date, with everything needed to cite it."""

    set_id: str
    category: str
    on: date
    factor_id: str
    label: LocalText
    gas: Gas
    value: Decimal
    unit: Unit
    valid_from: date
    reference: str
    source_id: str
    confidence: Confidence
    note: str

    @property
    def low_confidence(self) -> bool:
        return self.confidence.is_low

    def apply(self, amount: Decimal, unit: Unit | str, result_unit: Unit | str) -> Decimal:
        """``amount`` (in ``unit``) × this factor, in ``result_unit``; mismatched units raise."""
        return apply_rate(amount, unit, self.value, self.unit, result_unit)

    def explanation(self) -> Message:
        """One line for "why this number": value, unit, factor, row id, date, set, confidence."""
        return Message(
            gettext_noop(
                "{value} {unit} ({factor}, valid from {valid_from}, set {set_id}, "
                "confidence {confidence})"
            ),
            {
                "value": self.value,
                "unit": Term("unit", self.unit.text),
                # For analysts the key and the row of the source table; for readers its name.
                "factor": Term("factor", f"{self.factor_id}, {self.source_id}", self.label),
                "valid_from": self.valid_from.isoformat(),
                "set_id": Term("factor_set", self.set_id),
                "confidence": Term("confidence", self.confidence.value),
            },
        )


class FactorLibrary:
    """All factors and sets, indexed by id; built once by the loader, read-only afterwards."""

    def __init__(
        self,
        factors: Iterable[Factor],
        sets: Iterable[FactorSet],
        plausible_ranges: Iterable[PlausibleRange] = (),
    ) -> None:
        self._factors = _index(factors, gettext_noop("two factors share the id '{id}'"))
        self._sets = _index(sets, gettext_noop("two factor sets share the id '{id}'"))
        self._ranges = tuple(plausible_ranges)
        # Resolved factors by (set, category, date): the library does not change once built, so
        # each is looked up once and its (frozen) trace shared by every line that uses it.
        self._resolved: dict[tuple[str, str, date], ResolvedFactor] = {}

    @property
    def plausible_ranges(self) -> tuple[PlausibleRange, ...]:
        """The magnitudes inventories are checked against (:mod:`lowcarbon.core.plausibility`);
        they travel with the library so that every caller checks the same ranges."""
        return self._ranges

    @property
    def factors(self) -> Mapping[str, Factor]:
        return self._factors

    @property
    def sets(self) -> Mapping[str, FactorSet]:
        return self._sets

    def factor(self, factor_id: str) -> Factor:
        try:
            return self._factors[factor_id]
        except KeyError:
            raise UnknownFactorError(factor_id) from None

    def factor_set(self, set_id: str) -> FactorSet:
        try:
            return self._sets[set_id]
        except KeyError:
            raise UnknownFactorSetError(set_id, self._sets) from None

    def resolve(self, set_id: str, category: str, on: date) -> ResolvedFactor:
        """The factor set ``set_id`` gives ``category`` for activity on ``on``, with its trace.

        Raises (never returns 0) for an unknown set, a date outside the set's validity, a
        category the set does not cover, or a pinned factor or value that does not exist.
        """
        resolved = self._resolved.get((set_id, category, on))
        if resolved is None:
            resolved = self._resolved[set_id, category, on] = self._resolve(set_id, category, on)
        return resolved

    def _resolve(self, set_id: str, category: str, on: date) -> ResolvedFactor:
        factor_set = self.factor_set(set_id)
        if not factor_set.covers(on):
            raise OutsideValidityError(set_id, on, factor_set.valid_from, factor_set.valid_to)
        entry = factor_set.entry(category)
        factor = self.factor(entry.factor_id)
        value = factor.value_from(entry.value_from)
        return ResolvedFactor(
            set_id=set_id,
            category=category,
            on=on,
            factor_id=factor.id,
            label=factor.label,
            gas=factor.gas,
            value=value.value,
            unit=value.unit,
            valid_from=value.valid_from,
            reference=value.reference,
            source_id=value.source_id,
            confidence=value.confidence,
            note=value.note,
        )


_Identified = TypeVar("_Identified", Factor, FactorSet)


def _index(items: Iterable[_Identified], duplicate: str) -> Mapping[str, _Identified]:
    index: dict[str, _Identified] = {}
    for item in items:
        if item.id in index:
            raise FactorError(Message(duplicate, {"id": item.id}), code="factor_duplicate_id")
        index[item.id] = item
    return MappingProxyType(index)


_PER_PHYSICAL_UNIT = {
    "mass": (parse_unit("t"), parse_unit("tCO2/t"), parse_unit("kgCO2/kg")),
    "volume": (parse_unit("10^4Nm3"), parse_unit("tCO2/10^4Nm3"), parse_unit("kgCO2/m3")),
}


def _physical_units(ncv: Amount) -> tuple[Unit, Unit]:
    """(default result unit, comparison unit) for a fuel whose NCV is ``ncv`` (per t or m³)."""
    for physical, result, comparison in _PER_PHYSICAL_UNIT.values():
        if same_dimension(ncv.unit, f"GJ/{physical.text}"):
            return result, comparison
    raise UnitDimensionError(
        Message(
            gettext_noop(
                "a net calorific value in {unit} is not per mass or volume of fuel "
                "(expected e.g. GJ/t or GJ/10^4Nm3)"
            ),
            {"unit": ncv.unit.text},
        ),
        found=ncv.unit.text,
        expected="GJ/t",
    )


def derive_fuel_factor(
    ncv: Amount, carbon_content: Amount, oxidation: Amount, unit: Unit | str | None = None
) -> Amount:
    """tCO2 per physical unit of fuel = NCV × CC × OF × 44/12 (accounting-method.md §5.1).

    The result is in ``unit`` when given, else tCO2/t for an NCV per mass and tCO2/10^4Nm3 for
    an NCV per volume, the units of the NDRC guideline tables. Units are checked, so an NCV in
    MJ/m³ or a carbon content in kgC/GJ give the same figure as GJ/10^4Nm3 and tC/TJ.
    """
    default, _ = _physical_units(ncv)
    return multiply((ncv, carbon_content, oxidation, CO2_PER_CARBON), unit or default)


@dataclass(frozen=True)
class DerivationCheck:
    """A published fuel factor against NCV × CC × OF × 44/12 from its own parameter set.

    ``derived`` is in the published unit; ``difference`` is derived − published in kgCO2 per
    kg or m³ of fuel (``comparison_unit``), the quantity :data:`DERIVATION_TOLERANCE` bounds.
    """

    factor_id: str
    source_id: str
    valid_from: date
    published: Amount
    derived: Amount
    difference: Decimal
    comparison_unit: Unit

    @property
    def agrees(self) -> bool:
        return abs(self.difference) <= DERIVATION_TOLERANCE


def _check_value(
    library: FactorLibrary, factor: Factor, links: FuelDerivation, value: FactorValue
) -> DerivationCheck:
    ncv = library.factor(links.ncv).value_on(value.valid_from).amount
    carbon = library.factor(links.carbon_content).value_on(value.valid_from).amount
    oxidation = library.factor(links.oxidation).value_on(value.valid_from).amount
    _, comparison = _physical_units(ncv)
    derived_physical = derive_fuel_factor(ncv, carbon, oxidation, comparison)
    if same_dimension(value.unit, comparison):
        published_physical = value.amount.to(comparison)
        derived = derived_physical.to(value.unit)
    else:
        # Published per unit of energy (IPCC 2006 kgCO2/GJ): compare per unit of fuel through
        # the same NCV, since the tolerance is stated per physical unit.
        published_physical = multiply((value.amount, ncv), comparison)
        derived = multiply((carbon, oxidation, CO2_PER_CARBON), value.unit)
    return DerivationCheck(
        factor_id=factor.id,
        source_id=value.source_id,
        valid_from=value.valid_from,
        published=value.amount,
        derived=derived,
        difference=derived_physical.value - published_physical.value,
        comparison_unit=comparison,
    )


def check_derivations(library: FactorLibrary) -> tuple[DerivationCheck, ...]:
    """Every dated value of every factor that names its parameters, derived vs published.

    The parameters used are those in force on the value's date. Disagreements are listed, not
    hidden: the caller (tests, ``make data``, docs) decides what to do with them.
    """
    return tuple(
        _check_value(library, factor, factor.derived_from, value)
        for factor in sorted(library.factors.values(), key=lambda f: f.id)
        if factor.derived_from is not None
        for value in factor.values
    )
