"""Numbers, years, percentages, units and factor-set names as people read them.

One module for every reader: the generated documents, the charts, the web pages and the command
line. What it settles:

* numbers have thousands separators and a fixed number of decimals (a column of a table uses
  the same decimals on every row: :func:`column`), rounded half up as Chinese readers expect
  (四舍五入), ``—`` for no value, never ``-0.00``;
* years are never grouped (``2023``, not ``2,023``);
* percentages carry ``%`` without a space;
* units are shown by name from one catalogue, in Chinese or English: the machine spelling of the
  data and the engine (``tCO2/10^4kWh``, ``person``, ``km2``) never reaches a reader. A compound
  unit is named from its parts (``kgCO2/(m2*a)`` → 千克二氧化碳/(平方米·年), kgCO₂/(m²·a));
* factor sets are shown by their titles (``shanghai-2022`` → 上海市温室气体排放核算缺省因子…).

Names come as :class:`~lowcarbon.core.text.LocalText`, like every other bilingual name of the
data; a caller picks the language with the same ``local`` function it uses for outline labels.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from lowcarbon.core.labels import CONFIDENCE
from lowcarbon.core.messages import Present, Term
from lowcarbon.core.outline import ColumnType
from lowcarbon.core.text import LocalText
from lowcarbon.rules.factors import load_factor_library

__all__ = [
    "NO_VALUE",
    "Local",
    "column",
    "factor_set_name",
    "number",
    "percent",
    "places_needed",
    "presenter",
    "table_column",
    "trimmed",
    "unit_name",
    "unit_text",
    "year",
]

_NUMBER_TEXT = re.compile(r"-?\d+(\.\d+)?")

#: What a table shows for a value that is not there.
NO_VALUE = "—"

Number = Decimal | int | float
Local = Callable[[LocalText], str]  # LocalText -> text in the reader's language


def _decimal(value: Number | str) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def number(value: Number | str | None, places: int = 2) -> str:
    """``value`` with thousands separators and exactly ``places`` decimals (half up); ``—`` for
    none; text that is not a number is returned as it is."""
    if value is None or value == "":
        return NO_VALUE
    try:
        exact = _decimal(value)
    except InvalidOperation:
        return str(value)
    if not exact.is_finite():
        return str(value)
    rounded = exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if rounded.is_zero():
        rounded = abs(rounded)  # never "-0.00"
    return f"{rounded:,.{places}f}"


def trimmed(value: Number | str | None, places: int = 2) -> str:
    """Like :func:`number`, without trailing zeros (a figure in running text: "0.85 km²")."""
    text = number(value, places)
    if "." in text and text[-1:].isdigit():
        text = text.rstrip("0").rstrip(".")
    return text


def places_needed(value: Number | str | None, most: int = 4) -> int:
    """The decimals ``value`` is written with, at most ``most`` (0 for none or for text)."""
    if value is None or value == "":
        return 0
    try:
        exponent = _decimal(value).normalize().as_tuple().exponent
    except InvalidOperation:
        return 0
    return min(most, max(0, -exponent)) if isinstance(exponent, int) else 0


def column(values: Sequence[Number | str | None], most: int = 4) -> list[str]:
    """A table column: every value with the same decimals, as many as the most precise value
    needs (at most ``most``), so that the figures line up."""
    places = max((places_needed(value, most) for value in values), default=0)
    return [number(value, places) for value in values]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def _as_number(value: object) -> Decimal | None:
    """A table cell's number, stored as a number or typed as text; None for anything else."""
    if _is_number(value):
        return Decimal(str(value))
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    return None


def _as_written(value: object) -> str:
    return "" if value is None else str(value)


def table_column(values: Sequence[object], kind: ColumnType | None = None) -> list[str]:
    """The cells of one column of an applicant's table (指标体系, 重点项目…): years never
    grouped; numbers (typed as numbers or as text) with the same decimals on every row;
    anything else, and an empty cell, as written. Without a ``kind`` a column holding a
    number is numeric."""
    found = [_as_number(value) for value in values]
    if kind == ColumnType.YEAR:
        return [
            year(number) if number is not None else _as_written(value)
            for value, number in zip(values, found, strict=True)
        ]
    if kind in (ColumnType.NUMBER, ColumnType.INTEGER) or (
        kind is None and any(_is_number(value) for value in values)
    ):
        shown = column(found)
        return [
            text if number is not None else _as_written(value)
            for value, number, text in zip(values, found, shown, strict=True)
        ]
    return [_as_written(value) for value in values]


def year(value: Number | str | None) -> str:
    """A calendar year, never grouped: ``2023``; ``—`` for none."""
    if value is None or value == "":
        return NO_VALUE
    try:
        exact = _decimal(value)
    except InvalidOperation:
        return str(value)
    if not exact.is_finite() or exact != exact.to_integral_value():
        return str(value)
    return str(int(exact))


def percent(value: Number | str | None, places: int = 1) -> str:
    """A share already in percent: ``12.5%``; ``—`` for none."""
    text = number(value, places)
    return text if text == NO_VALUE else f"{text}%"


# --- units ---------------------------------------------------------------------------------

# Every unit spelling the data and the engine use, part by part: (Chinese, English). A compound
# unit is named from its parts; "10^4" / "万" before a part reads 万… in Chinese and 10⁴ … in
# English. The blank names (dimensionless) leave the unit column empty.
_ATOMS: dict[str, tuple[str, str]] = {
    # emissions
    "tCO2": ("吨二氧化碳", "tCO₂"),
    "tCO2e": ("吨二氧化碳当量", "tCO₂e"),
    "tCO2eq": ("吨二氧化碳当量", "tCO₂e"),
    "kgCO2": ("千克二氧化碳", "kgCO₂"),
    "kgCO2e": ("千克二氧化碳当量", "kgCO₂e"),
    "gCO2": ("克二氧化碳", "gCO₂"),
    "gCO2e": ("克二氧化碳当量", "gCO₂e"),
    "tC": ("吨碳", "tC"),
    "kgC": ("千克碳", "kgC"),
    # energy
    "kWh": ("千瓦时", "kWh"),
    "MWh": ("兆瓦时", "MWh"),
    "GWh": ("吉瓦时", "GWh"),
    "kJ": ("千焦", "kJ"),
    "MJ": ("兆焦", "MJ"),
    "GJ": ("吉焦", "GJ"),
    "TJ": ("太焦", "TJ"),
    "tce": ("吨标准煤", "tce"),
    "kgce": ("千克标准煤", "kgce"),
    # mass, volume, length, area, time
    "t": ("吨", "t"),
    "kg": ("千克", "kg"),
    "g": ("克", "g"),
    "Gg": ("千吨", "Gg"),
    "m3": ("立方米", "m³"),
    "Nm3": ("标准立方米", "Nm³"),
    "L": ("升", "L"),
    "km": ("千米", "km"),
    "pkm": ("人公里", "pkm"),
    "vkm": ("车公里", "vkm"),
    "m2": ("平方米", "m²"),
    "km2": ("平方千米", "km²"),
    "hm2": ("公顷", "ha"),
    "ha": ("公顷", "ha"),
    "a": ("年", "a"),
    "yr": ("年", "a"),
    # counts and money
    "person": ("人", "person"),
    "household": ("户", "household"),
    "compound": ("个", "compound"),  # 居住小区数量: a count of residential compounds
    "tree": ("株", "tree"),
    "passenger": ("人", "passenger"),
    "vehicle": ("辆", "vehicle"),
    "yuan": ("元", "yuan"),
    "元": ("元", "yuan"),
    # ratios
    "percent": ("%", "%"),
    "%": ("%", "%"),
    "dimensionless": ("", ""),
    "1": ("", ""),
}
# Superscripts and subscripts people (and older msgids) write, folded to the spellings above.
_FOLD = str.maketrans({"²": "2", "³": "3", "₂": "2", "⁴": "^4", "·": "*", "×": "*", " ": ""})
_TEN_THOUSAND = re.compile(r"^(?:10\^4|万)(.+)$")
_PARTS = re.compile(r"([/*()])")


def _atom(text: str) -> tuple[str, str] | None:
    if text in _ATOMS:
        return _ATOMS[text]
    scaled = _TEN_THOUSAND.match(text)
    if scaled and scaled.group(1) in _ATOMS:
        zh, en = _ATOMS[scaled.group(1)]
        return f"万{zh}", f"10⁴ {en}"
    return None


@cache
def unit_text(unit: str) -> LocalText:
    """The name of ``unit`` (a spelling of the data or the engine) in Chinese and English; a
    spelling the catalogue does not know is shown as written."""
    folded = unit.strip().translate(_FOLD)
    if not folded:
        return LocalText("", "")
    whole = _atom(folded)
    if whole is not None:
        return LocalText(*whole)
    zh: list[str] = []
    en: list[str] = []
    for part in _PARTS.split(folded):
        if part in "/*()":
            zh.append("·" if part == "*" else part)
            en.append("·" if part == "*" else part)
            continue
        named = _atom(part)
        if named is None:
            return LocalText(unit, unit)
        zh.append(named[0])
        en.append(named[1])
    return LocalText("".join(zh), "".join(en))


def unit_name(unit: str | None, local: Local) -> str:
    """The name of ``unit`` in the reader's language (``local`` picks it); blank for none."""
    return local(unit_text(unit)) if unit else ""


# --- factor sets ---------------------------------------------------------------------------


@cache
def _set_titles() -> dict[str, LocalText]:
    # The bundled library is the catalogue of sets; loaded once per process.
    return {set_id: found.title for set_id, found in load_factor_library().sets.items()}


def factor_set_name(set_id: str, local: Local) -> str:
    """The title of a bundled factor set in the reader's language; an unknown id as written."""
    title = _set_titles().get(set_id)
    return local(title) if title is not None else set_id


# --- terms inside messages -----------------------------------------------------------------


def presenter(local: Local, translate: Callable[[str], str]) -> Present:
    """How pages and documents name the terms inside the engine's messages: units by their
    names, factor sets by their titles, factors by their labels, confidence by its grade; the
    ids stay in the command line's traces and the sources appendix."""

    def present(term: Term) -> str:
        if term.kind == "unit":
            return unit_name(term.id, local)
        if term.kind == "factor_set":
            return factor_set_name(term.id, local)
        if term.kind == "factor" and term.label is not None:
            return local(term.label)
        if term.kind == "confidence" and term.id in CONFIDENCE:
            return translate(CONFIDENCE[term.id])
        return term.id

    return present
