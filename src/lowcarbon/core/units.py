"""Units of measure for activity data and factors: one pint registry, the spellings people type.

Why a units layer: 4.2 tCO2/10^4kWh applied to kWh without the 10^4 gives a figure 10 000 times
too large, and applied to m³ of gas gives nonsense; both look plausible on a page. Here every
unit is parsed from an accepted spelling, every conversion goes through pint, and a product
whose dimension does not fit (m³ of electricity) raises instead of returning a number.

Domain units beyond pint's defaults:

* 万kWh, 万m³, 万Nm³, 万t, 万tce: 10^4 of the unit (1 万kWh = 10 000 kWh, exactly);
* Nm³ (normal cubic metre): treated as m³, as accounting-method.md §5.1 does for gas bills;
* tce / kgce (吨标准煤 / 千克标准煤): a dimension of their own, so that kWh or GJ never turn
  into coal equivalent silently; the conversion goes through a cited coefficient
  (``coal_equivalent/*`` factors, e.g. GB/T 2589-2020 0.1229 kgce/kWh);
* tCO2 / kgCO2 / gCO2 and tCO2e…: "CO2 mass", a dimension of its own (not kilograms of fuel);
  CO2e shares it because 1 tCO2 is 1 tCO2e by definition (GWP of CO2 = 1); the gas a factor
  covers is carried by the factor, not by the unit;
* tC / kgC: carbon mass, distinct from CO2 mass; the 44/12 step is explicit (see
  :data:`CO2_PER_CARBON`), never a hidden unit conversion;
* passenger, vehicle and tree counts, for pkm, vkm and per-tree sequestration.

Values that cross module boundaries are :class:`~decimal.Decimal`; the registry is built with
``non_int_type=Decimal`` so that conversions stay exact where the arithmetic allows. It is
built on first use, and each unit's dimension and each conversion scale is worked out once.

::

    LowcarbonError (core)
    └── UnitError                  a unit that cannot be used as written
        ├── UnknownUnitError       text that is not an accepted spelling
        └── UnitDimensionError     units whose dimensions do not fit (m³ of electricity)
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from .errors import LowcarbonError
from .messages import Message, gettext_noop
from .records import quick_init

__all__ = [
    "ACCEPTED_SPELLINGS",
    "CO2_PER_CARBON",
    "Amount",
    "Unit",
    "UnitDimensionError",
    "UnitError",
    "UnknownUnitError",
    "apply_rate",
    "check_dimension",
    "conversion_scale",
    "convert",
    "dimension_name",
    "multiply",
    "parse_unit",
    "rate_scale",
    "same_dimension",
]

# Internal names are chosen so that pint cannot read them as prefix + unit (``kgCO2`` could be
# kilo-``gCO2``); people never type them, parse_unit maps their spellings onto these.
_DEFINITIONS = (
    "co2_kg = [carbon_dioxide]",
    "co2_t = 1000 * co2_kg",
    "co2_g = 0.001 * co2_kg",
    "carbon_kg = [carbon]",
    "carbon_t = 1000 * carbon_kg",
    "ce_kg = [coal_equivalent]",
    "ce_t = 1000 * ce_kg",
    "ce_wan_t = 10000 * ce_t",
    "wan_kilowatt_hour = 10000 * kilowatt_hour",
    "normal_cubic_metre = meter ** 3",
    "wan_cubic_metre = 10000 * meter ** 3",
    "wan_normal_cubic_metre = 10000 * normal_cubic_metre",
    "wan_tonne = 10000 * tonne",
    "passenger = [passenger]",
    "vehicle = [vehicle]",
    "tree = [tree]",
)


_REGISTRY_LOCK = threading.Lock()


def _registry() -> Any:
    """The pint registry, built on first use: importing pint and building it takes most of a
    second, which a process that never converts a unit (``lowcarbon --help``) need not pay.
    Built once under a lock: units of two registries cannot be combined."""
    with _REGISTRY_LOCK:
        return _build_registry()


@cache
def _build_registry() -> Any:
    import pint

    registry: Any = pint.UnitRegistry(non_int_type=Decimal, cache_folder=None)
    for definition in _DEFINITIONS:
        registry.define(definition)
    return registry


# Accepted spelling → pint expression. Text is matched after normalisation (full-width forms,
# superscripts ³ ² ⁴ and subscript ₂ folded, spaces removed), so tCO₂ reads as tCO2.
_ATOMS: dict[str, str] = {}


def _accept(expression: str, *spellings: str) -> None:
    for spelling in spellings:
        _ATOMS[spelling] = expression


_accept("kilowatt_hour", "kWh", "千瓦时", "度")
_accept("wan_kilowatt_hour", "万kWh", "10^4kWh", "万千瓦时", "万度")
_accept("megawatt_hour", "MWh", "兆瓦时")
_accept("gigawatt_hour", "GWh")
_accept("kilojoule", "kJ")
_accept("megajoule", "MJ")
_accept("gigajoule", "GJ")
_accept("terajoule", "TJ")
_accept("meter ** 3", "m3", "m³", "m^3", "立方米", "方")
_accept("normal_cubic_metre", "Nm3", "Nm³", "标准立方米")
_accept("wan_cubic_metre", "万m3", "万m³", "10^4m3", "万立方米", "万方")
_accept("wan_normal_cubic_metre", "万Nm3", "万Nm³", "10^4Nm3", "万标准立方米")
_accept("liter", "L", "l", "升")
_accept("tonne", "t", "吨")
_accept("wan_tonne", "万t", "10^4t", "万吨")
_accept("kilogram", "kg", "千克", "公斤")
_accept("gram", "g", "克")
_accept("gigagram", "Gg")
_accept("ce_t", "tce", "吨标准煤", "吨标煤")
_accept("ce_kg", "kgce", "千克标准煤", "千克标煤", "kg标准煤")
_accept("ce_wan_t", "万tce", "10^4tce", "万吨标准煤", "万吨标煤")
_accept("co2_t", "tCO2", "tCO2e", "tCO2eq", "吨二氧化碳", "吨二氧化碳当量")
_accept("co2_kg", "kgCO2", "kgCO2e", "kgCO2eq", "千克二氧化碳")
_accept("co2_g", "gCO2", "gCO2e", "gCO2eq")
_accept("carbon_t", "tC", "吨碳")
_accept("carbon_kg", "kgC", "千克碳")
_accept("kilometer", "km", "公里", "千米")
_accept("passenger * kilometer", "pkm", "人公里")
_accept("vehicle * kilometer", "vkm", "车公里")
_accept("meter ** 2", "m2", "m²", "平方米")
_accept("hectare", "hm2", "hm²", "ha", "公顷")
_accept("year", "a", "yr", "年")
_accept("tree", "tree", "株")
_accept("percent", "%")

#: Every spelling :func:`parse_unit` accepts on its own; combine them with ``/``, ``*`` and
#: parentheses (``tCO2/10^4kWh``, ``tCO2e/(hm2*a)``).
ACCEPTED_SPELLINGS: tuple[str, ...] = tuple(_ATOMS)

_FOLD_FIRST = str.maketrans({"⁴": "^4", "·": "*", "×": "*", "⋅": "*"})
_OPERATORS = re.compile(r"([/*()])")


def _normalise(text: str) -> str:
    # "10⁴" must become "10^4" before NFKC, which would fold it into "104".
    folded = unicodedata.normalize("NFKC", text.translate(_FOLD_FIRST))
    return re.sub(r"\s+", "", folded)


_LOOKUP: dict[str, str] = {_normalise(spelling): expr for spelling, expr in _ATOMS.items()}


class UnitError(LowcarbonError):
    """A unit that cannot be used as written."""

    code = "unit"


class UnknownUnitError(UnitError):
    """Text that is not one of the accepted spellings (nor a ``/ *`` combination of them)."""

    code = "unknown_unit"

    def __init__(self, text: str, reason: Message) -> None:
        self.text = text
        self.reason = reason
        super().__init__(
            Message(
                gettext_noop(
                    "unknown unit '{text}' ({reason}); accepted spellings: {accepted}, "
                    "combined with / * and parentheses"
                ),
                {"text": text, "reason": reason, "accepted": list(ACCEPTED_SPELLINGS)},
            )
        )


class UnitDimensionError(UnitError):
    """Units whose dimensions do not fit: a conversion or a product that cannot be right.

    ``found`` and ``expected`` are the unit texts involved; ``message`` says what was tried.
    """

    code = "unit_dimension"

    def __init__(self, message: Message, *, found: str, expected: str) -> None:
        self.found = found
        self.expected = expected
        super().__init__(message)


@dataclass(frozen=True)
class Unit:
    """A parsed unit: ``text`` as written (kept for display), ``expression`` for pint."""

    text: str
    expression: str

    def __str__(self) -> str:
        return self.text


@quick_init
@dataclass(frozen=True)
class Amount:
    """A value with its unit, e.g. ``Amount(Decimal("4.2"), parse_unit("tCO2/10^4kWh"))``."""

    value: Decimal
    unit: Unit

    def to(self, unit: Unit | str) -> Amount:
        """The same amount in ``unit`` (raises :class:`UnitDimensionError` if it cannot be)."""
        target = _as_unit(unit)
        return Amount(convert(self.value, self.unit, target), target)

    def __str__(self) -> str:
        return f"{self.value} {self.unit.text}"


def _malformed(text: str) -> UnknownUnitError:
    return UnknownUnitError(text, Message(gettext_noop("not a well-formed combination of units")))


@cache
def parse_unit(text: str) -> Unit:
    """The :class:`Unit` for ``text``, e.g. ``万kWh``, ``tCO2/10^4kWh``, ``kgCO2e/(hm2*a)``.

    Anything that is not built from :data:`ACCEPTED_SPELLINGS` with ``/``, ``*`` and
    parentheses raises :class:`UnknownUnitError` naming the text and the accepted spellings.
    """
    stripped = text.strip()
    tokens = [token for token in _OPERATORS.split(_normalise(stripped)) if token]
    parts: list[str] = []
    depth = 0
    expect_operand = True
    for token in tokens:
        if token == "(" and expect_operand:
            depth += 1
            parts.append(token)
        elif token == ")" and not expect_operand and depth > 0:
            depth -= 1
            parts.append(token)
        elif token in {"/", "*"} and not expect_operand:
            expect_operand = True
            parts.append(f" {token} ")
        elif token not in {"(", ")", "/", "*"} and expect_operand:
            expression = _LOOKUP.get(token)
            if expression is None:
                raise UnknownUnitError(
                    stripped,
                    Message(gettext_noop("'{part}' is not an accepted spelling"), {"part": token}),
                )
            expect_operand = False
            parts.append(f"({expression})")
        else:
            raise _malformed(stripped)
    if expect_operand or depth:
        raise _malformed(stripped)
    return Unit(text=stripped, expression="".join(parts))


def _as_unit(unit: Unit | str) -> Unit:
    return unit if isinstance(unit, Unit) else parse_unit(unit)


@cache
def _pint_unit(expression: str) -> Any:
    return _registry().parse_units(expression)


def _dimensionality(unit: Unit) -> Any:
    return _pint_unit(unit.expression).dimensionality


# Names for the dimensions people meet, and their ratios ("CO2 mass per energy"), so that an
# error says "volume" rather than "[length] ** 3".
_NAMED_DIMENSIONS: dict[str, str] = {
    "kilowatt_hour": gettext_noop("energy"),
    "meter ** 3": gettext_noop("volume"),
    "kilogram": gettext_noop("mass"),
    "co2_kg": gettext_noop("CO2 mass"),
    "carbon_kg": gettext_noop("carbon mass"),
    "ce_kg": gettext_noop("coal equivalent"),
    "kilometer": gettext_noop("distance"),
    "passenger * kilometer": gettext_noop("passenger distance"),
    "vehicle * kilometer": gettext_noop("vehicle distance"),
    "meter ** 2": gettext_noop("area"),
    "year": gettext_noop("time"),
    "tree": gettext_noop("trees"),
}


@cache
def _dimension_names() -> dict[Any, Message]:
    names: dict[Any, Message] = {
        _pint_unit("percent").dimensionality: Message(gettext_noop("a pure number")),
    }
    for expression, name in _NAMED_DIMENSIONS.items():
        names[_pint_unit(expression).dimensionality] = Message(name)
    # A ratio never takes the place of a plain name (volume per area is a distance).
    for num_expr, num_name in _NAMED_DIMENSIONS.items():
        for den_expr, den_name in _NAMED_DIMENSIONS.items():
            names.setdefault(
                _pint_unit(f"({num_expr}) / ({den_expr})").dimensionality,
                Message(
                    gettext_noop("{numerator} per {denominator}"),
                    {"numerator": Message(num_name), "denominator": Message(den_name)},
                ),
            )
    return names


def _describe(dimensionality: Any) -> Message:
    named = _dimension_names().get(dimensionality)
    if named is not None:
        return named
    return Message(gettext_noop("the dimension {pint}"), {"pint": str(dimensionality)})


def dimension_name(unit: Unit | str) -> Message:
    """What ``unit`` measures, in words: ``energy``, ``CO2 mass per energy``…"""
    return _describe(_dimensionality(_as_unit(unit)))


def same_dimension(first: Unit | str, second: Unit | str) -> bool:
    """Whether ``first`` and ``second`` measure the same thing (kWh and GJ do; kWh and m³ not)."""
    return _same_dimension(_as_unit(first).expression, _as_unit(second).expression)


@cache
def _same_dimension(first: str, second: str) -> bool:
    # Decided once per pair of expressions: pint's comparison of dimensions is the slow part.
    return bool(_pint_unit(first).dimensionality == _pint_unit(second).dimensionality)


def check_dimension(unit: Unit | str, expected: Unit | str) -> None:
    """Raise :class:`UnitDimensionError` unless ``unit`` measures what ``expected`` measures."""
    found, wanted = _as_unit(unit), _as_unit(expected)
    if not _same_dimension(found.expression, wanted.expression):
        raise _dimension_error(found, wanted)


def _dimension_error(found: Unit, wanted: Unit) -> UnitDimensionError:
    return UnitDimensionError(
        Message(
            gettext_noop(
                "{found} measures {found_dimension}, which cannot be expressed in "
                "{expected} ({expected_dimension})"
            ),
            {
                "found": found.text,
                "found_dimension": dimension_name(found),
                "expected": wanted.text,
                "expected_dimension": dimension_name(wanted),
            },
        ),
        found=found.text,
        expected=wanted.text,
    )


def convert(value: Decimal, from_unit: Unit | str, to_unit: Unit | str) -> Decimal:
    """``value`` in ``from_unit`` expressed in ``to_unit``: ``convert(1, "万kWh", "kWh") == 10000``.

    Raises :class:`UnitDimensionError` when the two units measure different things.
    """
    return Decimal(value) * conversion_scale(from_unit, to_unit)


def conversion_scale(from_unit: Unit | str, to_unit: Unit | str) -> Decimal:
    """What 1 ``from_unit`` is in ``to_unit`` (:func:`convert` multiplies by it), worked out once
    per pair of units; raises :class:`UnitDimensionError` as :func:`convert` does."""
    source, target = _as_unit(from_unit), _as_unit(to_unit)
    scale = _conversion(source.expression, target.expression)
    if scale is None:
        raise _dimension_error(source, target)
    return scale


@cache
def _conversion(source: str, target: str) -> Decimal | None:
    """What 1 ``source`` is in ``target``; None when they measure different things."""
    return _scale((source,), target) if _same_dimension(source, target) else None


@cache
def _scale(expressions: tuple[str, ...], target: str) -> Decimal:
    """What 1 of each unit in ``expressions``, multiplied, is in ``target``.

    Every unit here is multiplicative (no offsets such as °C), so a product converts by one
    factor; working it out once per pair of units keeps pint out of the per-record path.
    """
    registry = _registry()
    product = registry.Quantity(Decimal(1))
    for expression in expressions:
        product = product * registry.Quantity(Decimal(1), _pint_unit(expression))
    return Decimal(product.to(_pint_unit(target)).magnitude)


@cache
def _applies_to(result: str, factor: str) -> Any:
    """What a factor in ``factor`` units must be applied to for a result in ``result`` units."""
    return _pint_unit(result).dimensionality / _pint_unit(factor).dimensionality


@cache
def _product_dimensionality(expressions: tuple[str, ...]) -> Any:
    dimensionality = _pint_unit("dimensionless").dimensionality
    for expression in expressions:
        dimensionality = dimensionality * _pint_unit(expression).dimensionality
    return dimensionality


def multiply(amounts: Sequence[Amount], to: Unit | str) -> Amount:
    """The product of ``amounts`` in unit ``to``; raises if the product does not measure that.

    This is where "m³ of electricity" is caught: ``m³ × tCO2/10^4kWh`` is not a CO2 mass.
    """
    target = _as_unit(to)
    expressions = tuple(amount.unit.expression for amount in amounts)
    dimensionality = _product_dimensionality(expressions)
    if dimensionality != _pint_unit(target.expression).dimensionality:
        found = " × ".join(amount.unit.text for amount in amounts)
        raise UnitDimensionError(
            Message(
                gettext_noop(
                    "{found} measures {found_dimension}, which cannot be expressed in "
                    "{expected} ({expected_dimension})"
                ),
                {
                    "found": found,
                    "found_dimension": _describe(dimensionality),
                    "expected": target.text,
                    "expected_dimension": dimension_name(target),
                },
            ),
            found=found,
            expected=target.text,
        )
    value = Decimal(1)
    for amount in amounts:
        value *= amount.value
    return Amount(value * _scale(expressions, target.expression), target)


def apply_rate(
    amount: Decimal,
    amount_unit: Unit | str,
    rate: Decimal,
    rate_unit: Unit | str,
    result_unit: Unit | str,
) -> Decimal:
    """``amount × rate`` in ``result_unit``, e.g. 1 000 000 kWh × 4.2 tCO2/10^4kWh = 420 tCO2.

    An activity the rate does not apply to (m³ against a per-kWh factor) raises
    :class:`UnitDimensionError` saying what the rate applies to.
    """
    # What multiply() computes, in the same order, without building amounts: the units fit,
    # so their product measures the result (that check is in rate_scale).
    return _ONE * amount * rate * rate_scale(amount_unit, rate_unit, result_unit)


def rate_scale(amount_unit: Unit | str, rate_unit: Unit | str, result_unit: Unit | str) -> Decimal:
    """The scale :func:`apply_rate` multiplies ``1 × amount × rate`` by, worked out once per
    triple of units; raises :class:`UnitDimensionError` as :func:`apply_rate` does."""
    activity, factor, result = _as_unit(amount_unit), _as_unit(rate_unit), _as_unit(result_unit)
    scale = _rate_scale(activity.expression, factor.expression, result.expression)
    if scale is None:
        raise UnitDimensionError(
            Message(
                gettext_noop(
                    "an amount in {unit} ({dimension}) does not fit a factor in {factor} giving "
                    "{result}: that factor applies to {applies_to}"
                ),
                {
                    "unit": activity.text,
                    "dimension": dimension_name(activity),
                    "factor": factor.text,
                    "result": result.text,
                    "applies_to": _describe(_applies_to(result.expression, factor.expression)),
                },
            ),
            found=activity.text,
            expected=factor.text,
        )
    return scale


_ONE = Decimal(1)


@cache
def _rate_scale(activity: str, factor: str, result: str) -> Decimal | None:
    """The scale of ``activity × factor`` into ``result``, worked out once per triple of units;
    None when the units do not fit (apply_rate then says why)."""
    if _pint_unit(activity).dimensionality != _applies_to(result, factor):
        return None
    return _scale((activity, factor), result)


#: The mass ratio of CO2 to carbon (molar masses 44 and 12) used by the NDRC guideline formula
#: E = FC × NCV × CC × OF × 44/12 (accounting-method.md §5.1).
CO2_PER_CARBON = Amount(Decimal(44) / Decimal(12), parse_unit("tCO2/tC"))
