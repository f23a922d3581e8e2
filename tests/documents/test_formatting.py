"""One way to write numbers, years, percentages, units and factor sets for every reader."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.core.outline import ColumnType
from lowcarbon.core.text import LocalText
from lowcarbon.documents.formatting import (
    column,
    factor_set_name,
    number,
    percent,
    table_column,
    trimmed,
    unit_name,
    year,
)


def zh(text: LocalText) -> str:
    return text.get("zh")


def en(text: LocalText) -> str:
    return text.get("en")


decimals = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), allow_nan=False, places=6
)
GROUPED = re.compile(r"^-?\d{1,3}(,\d{3})*(\.\d+)?$")


@given(decimals, st.integers(min_value=0, max_value=6))
def test_a_number_keeps_its_digits_rounded_half_up(value: Decimal, places: int) -> None:
    text = number(value, places)
    expected = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    assert Decimal(text.replace(",", "")) == expected
    assert GROUPED.match(text), text


@given(decimals, st.integers(min_value=0, max_value=6))
def test_a_number_has_exactly_the_decimals_asked_for_and_never_minus_zero(
    value: Decimal, places: int
) -> None:
    text = number(value, places)
    decimals_shown = text.partition(".")[2]
    assert len(decimals_shown) == places
    assert not re.fullmatch(r"-0(\.0*)?", text)


@given(st.lists(decimals, min_size=1, max_size=8))
def test_a_column_uses_the_same_decimals_on_every_row(values: list[Decimal]) -> None:
    shown = column(values)
    assert len({len(text.partition(".")[2]) for text in shown}) == 1
    for value, text in zip(values, shown, strict=True):
        assert abs(Decimal(text.replace(",", "")) - value) <= Decimal("0.00005")


def test_numbers_as_readers_see_them() -> None:
    assert number(Decimal("156603.314")) == "156,603.31"
    assert number(Decimal("0.125")) == "0.13"  # half up, not to even
    assert number(Decimal("-0.001")) == "0.00"
    assert number(14800, 0) == "14,800"
    assert number(None) == "—"
    assert trimmed(Decimal("0.8500"), 4) == "0.85"
    assert trimmed(3120, 4) == "3,120"
    assert column([Decimal("1"), Decimal("2.5"), "3.125"]) == ["1.000", "2.500", "3.125"]
    assert percent(Decimal("12.345")) == "12.3%"
    assert percent(None) == "—"


@given(st.integers(min_value=1000, max_value=9999))
def test_years_are_never_grouped(value: int) -> None:
    assert year(value) == str(value)
    assert year(str(value)) == str(value)
    assert year(Decimal(value)) == str(value)
    assert year(float(value)) == str(value)


def test_a_missing_year_shows_a_dash() -> None:
    assert year(None) == "—"
    assert year("") == "—"


@pytest.mark.parametrize(
    ("unit", "chinese", "english"),
    [
        ("tCO2/10^4kWh", "吨二氧化碳/万千瓦时", "tCO₂/10⁴ kWh"),
        ("tCO2/10⁴ yuan", "吨二氧化碳/万元", "tCO₂/10⁴ yuan"),
        ("tCO2/10^4yuan", "吨二氧化碳/万元", "tCO₂/10⁴ yuan"),
        ("tCO2e/person", "吨二氧化碳当量/人", "tCO₂e/person"),
        ("tCO2/household", "吨二氧化碳/户", "tCO₂/household"),
        ("kgCO2/(m2*a)", "千克二氧化碳/(平方米·年)", "kgCO₂/(m²·a)"),
        ("person", "人", "person"),
        ("household", "户", "household"),
        ("compound", "个", "compound"),
        ("percent", "%", "%"),
        ("%", "%", "%"),
        ("km2", "平方千米", "km²"),
        ("m2", "平方米", "m²"),
        ("dimensionless", "", ""),
        ("万元", "万元", "10⁴ yuan"),
        ("10^4kWh", "万千瓦时", "10⁴ kWh"),
        ("kWh", "千瓦时", "kWh"),
        ("m3", "立方米", "m³"),
        ("GJ/10^4Nm3", "吉焦/万标准立方米", "GJ/10⁴ Nm³"),
        ("kg/(tree*a)", "千克/(株·年)", "kg/(tree·a)"),
    ],
)
def test_units_have_a_chinese_and_an_english_name(unit: str, chinese: str, english: str) -> None:
    assert unit_name(unit, zh) == chinese
    assert unit_name(unit, en) == english


def test_every_unit_of_the_outlines_and_the_engine_reads_in_chinese() -> None:
    units = [
        "km2",
        "m2",
        "compound",
        "household",
        "person",
        "tCO2e/person",
        "percent",
        "dimensionless",
        "tCO2/person",
        "tCO2/household",
        "kgCO2/(m2*a)",
        "tCO2/10^4yuan",
        "tCO2e/a",
    ]
    for unit in units:
        shown = unit_name(unit, zh)
        assert not re.search(r"[A-Za-z^]", shown), (unit, shown)


def test_an_unknown_unit_is_shown_as_written() -> None:
    assert unit_name("furlong/fortnight", zh) == "furlong/fortnight"
    assert unit_name(None, zh) == ""


def test_factor_sets_are_named_by_their_titles() -> None:
    assert (
        factor_set_name("shanghai-2022", zh)
        == "上海市温室气体排放核算缺省因子（沪环气〔2022〕34号）"
    )
    assert factor_set_name("shanghai-2022", en) == "Shanghai default factors of 沪环气〔2022〕34号"
    assert factor_set_name("no-such-set", zh) == "no-such-set"


def test_a_table_column_by_its_type() -> None:
    assert table_column([2023, "2025", None, ""], ColumnType.YEAR) == ["2023", "2025", "", ""]
    assert table_column([Decimal("4.5"), "12", 1200, None], ColumnType.NUMBER) == [
        "4.5",
        "12.0",
        "1,200.0",
        "",
    ]
    assert table_column(["约300", "1200"], ColumnType.NUMBER) == ["约300", "1,200"]
    assert table_column(["2023", "项目甲"], ColumnType.TEXT) == ["2023", "项目甲"]
    # Without a type, a column holding numbers is numeric.
    assert table_column([300, Decimal("12.25")]) == ["300.00", "12.25"]


def test_the_presenter_names_terms_for_readers() -> None:
    from lowcarbon.core.messages import Term
    from lowcarbon.core.text import LocalText
    from lowcarbon.documents.formatting import presenter

    def zh(text: LocalText) -> str:
        return text.get("zh")

    def en(text: LocalText) -> str:
        return text.get("en")

    def shout(text: str) -> str:
        return text.upper()

    present = presenter(zh, shout)
    assert present(Term("unit", "tCO2/10^4kWh")) == "吨二氧化碳/万千瓦时"
    assert present(Term("factor_set", "shanghai-2022")) == (
        "上海市温室气体排放核算缺省因子（沪环气〔2022〕34号）"
    )
    assert present(Term("factor", "k, ID", LocalText("外购电力", "purchased power"))) == "外购电力"
    assert presenter(en, shout)(Term("factor", "k, ID", LocalText("外购电力", "power"))) == "power"
    assert present(Term("confidence", "secondary")) == "SECONDARY TRANSCRIPTION"
    # What it does not know stays as written: never a blank.
    assert present(Term("factor", "k, ID")) == "k, ID"
    assert present(Term("confidence", "unheard-of")) == "unheard-of"
    assert present(Term("other", "x")) == "x"
