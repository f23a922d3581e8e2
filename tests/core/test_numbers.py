"""The one parser of typed numbers (lowcarbon.core.numbers): what it accepts, what it refuses
with which words, and that no text at all can make it slow or raise anything else."""

from __future__ import annotations

import contextlib
import time
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.core.numbers import (
    MAX_DIGITS,
    NumberError,
    NumberSpec,
    ascii_forms,
    parse_number,
    parse_whole,
    shown_text,
    year_spec,
)

POINTS = NumberSpec("得分", Decimal(-1000), Decimal(1000), 4)
COUNT = NumberSpec("数量", Decimal(0), Decimal(1_000_000), 0)
SHARE = NumberSpec("比例", Decimal("0.05"), Decimal(1), 2)
FAST = 0.010  # seconds of CPU: the most one call may take, whatever is typed


def _seconds(typed: Any, spec: NumberSpec) -> float:
    """CPU time of one call, the best of three (the machine is shared: wall time is not ours)."""
    times = []
    for _ in range(3):
        started = time.process_time()
        with contextlib.suppress(NumberError):
            parse_number(typed, spec)
        times.append(time.process_time() - started)
    return min(times)


ACCEPTED: list[tuple[Any, NumberSpec, Decimal]] = [
    ("1200", COUNT, Decimal(1200)),
    (" 1200 ", COUNT, Decimal(1200)),
    ("1,200", COUNT, Decimal(1200)),
    ("1,000,000", COUNT, Decimal(1_000_000)),
    ("１２００", COUNT, Decimal(1200)),  # full-width digits
    ("１，２００", COUNT, Decimal(1200)),  # full-width comma
    ("１２．５", POINTS, Decimal("12.5")),  # full-width point
    ("１ｅ３", COUNT, Decimal(1000)),  # full-width exponent
    ("\u3000１２\u3000", COUNT, Decimal(12)),  # ideographic spaces around
    ("1.2e3", COUNT, Decimal(1200)),
    ("1E3", COUNT, Decimal(1000)),
    ("12.000", COUNT, Decimal(12)),  # trailing zeros are not decimal places
    ("0e9999999", COUNT, Decimal(0)),  # zero whatever the exponent
    ("-0", COUNT, Decimal(0)),
    ("2.5", POINTS, Decimal("2.5")),
    ("+2.5", POINTS, Decimal("2.5")),
    ("-3", POINTS, Decimal(-3)),
    ("－3", POINTS, Decimal(-3)),  # full-width minus
    ("−3", POINTS, Decimal(-3)),  # U+2212 minus sign, as Word writes it
    (".5", POINTS, Decimal("0.5")),
    ("5.", POINTS, Decimal(5)),
    ("1000", POINTS, Decimal(1000)),
    ("-1000", POINTS, Decimal(-1000)),
    ("0.0001", POINTS, Decimal("0.0001")),
    ("0.05", SHARE, Decimal("0.05")),
    ("1", SHARE, Decimal(1)),
    (12, COUNT, Decimal(12)),  # a workbook cell's int
    (12.5, POINTS, Decimal("12.5")),  # … float
    (0.1 + 0.2, POINTS, Decimal("0.3")),  # 15 significant digits, as Excel keeps
    (Decimal("1E+3"), COUNT, Decimal(1000)),
]

# (value typed, spec, reason, words the English message contains)
REFUSED: list[tuple[Any, NumberSpec, str, list[str]]] = [
    ("1e9999999", POINTS, "too_large", ["得分", "“1e9999999”", "more than 1000"]),
    ("1e9999999", COUNT, "too_large", ["数量", "more than 1,000,000", "a whole number from 0"]),
    ("1e1000000", COUNT, "too_large", ["“1e1000000”"]),
    ("1e5000", POINTS, "too_large", ["“1e5000”"]),
    ("-1e5000", POINTS, "too_small", ["“-1e5000”", "less than -1000"]),
    ("1e999999", COUNT, "too_large", ["“1e999999”"]),
    ("1e-9999999", POINTS, "too_many_places", ["more than 4 decimal places"]),
    ("1e-9999999", COUNT, "not_whole", ["not a whole number"]),
    ("1e+308", POINTS, "too_large", ["“1e+308”"]),
    (1e308, POINTS, "too_large", ["“1e+308”"]),
    (-1e308, COUNT, "too_small", ["less than 0"]),
    (10**5000, COUNT, "too_large", ["“…”"]),
    ("NaN", POINTS, "not_a_number", ["“NaN” is not a number"]),
    ("nan", POINTS, "not_a_number", ["not a number"]),
    ("sNaN", POINTS, "not_a_number", ["not a number"]),
    ("-sNaN", POINTS, "not_a_number", ["not a number"]),
    ("Infinity", POINTS, "not_a_number", ["not a number"]),
    ("-inf", POINTS, "not_a_number", ["not a number"]),
    (float("nan"), POINTS, "not_a_number", ["not a number"]),
    (float("inf"), POINTS, "not_a_number", ["not a number"]),
    (Decimal("NaN"), POINTS, "not_a_number", ["not a number"]),
    (Decimal("-Infinity"), POINTS, "not_a_number", ["not a number"]),
    (True, COUNT, "not_a_number", ["not a number"]),
    (None, COUNT, "not_a_number", ["not a number"]),
    ([1], COUNT, "not_a_number", ["not a number"]),
    ("", COUNT, "empty", ["数量: empty"]),
    ("   ", COUNT, "empty", ["empty"]),
    ("1" * 100_000, COUNT, "too_long", ["too long", "100000 characters", "…"]),
    ("1" * 65, COUNT, "too_long", ["65 characters"]),
    ("9" * 29, COUNT, "too_large", ["more than 1,000,000"]),
    ("0." + "1" * 29, POINTS, "too_many_digits", [f"more than {MAX_DIGITS} significant"]),
    ("1,5", POINTS, "not_a_number", ["“1,5” is not a number"]),  # a decimal comma? ambiguous
    ("1,20", COUNT, "not_a_number", ["not a number"]),
    (",200", COUNT, "not_a_number", ["not a number"]),
    ("1_000", COUNT, "not_a_number", ["not a number"]),  # Python's digit separator
    ("١٢٣", COUNT, "not_a_number", ["not a number"]),  # Arabic-Indic digits
    ("²", COUNT, "not_a_number", ["not a number"]),  # NFKC would read it as 2 …
    ("10²", COUNT, "not_a_number", ["not a number"]),  # … and this as 102
    ("①", COUNT, "not_a_number", ["not a number"]),
    ("一千二百", COUNT, "not_a_number", ["“一千二百” is not a number"]),
    ("12%", POINTS, "not_a_number", ["not a number"]),
    ("1.2.3", POINTS, "not_a_number", ["not a number"]),
    (".", POINTS, "not_a_number", ["not a number"]),
    ("1e", POINTS, "not_a_number", ["not a number"]),
    ("e5", POINTS, "not_a_number", ["not a number"]),
    ("0x10", COUNT, "not_a_number", ["not a number"]),
    ("1 000", COUNT, "not_a_number", ["not a number"]),
    ("12\u202e", COUNT, "not_a_number", ["“12\ufffd”"]),  # bidi override shown harmless
    ("\x00", COUNT, "not_a_number", ["“\ufffd”"]),
    ("1\n2", COUNT, "not_a_number", ["“1\ufffd2”"]),
    ('{"a": {"b": [1]}}', COUNT, "not_a_number", ["not a number"]),
    ("12.5", COUNT, "not_whole", ["“12.5” is not a whole number", "a whole number from 0"]),
    ("2.25", SHARE, "too_large", ["more than 1"]),
    ("0.125", SHARE, "too_many_places", ["more than 2 decimal places"]),
    ("0.04", SHARE, "too_small", ["less than 0.05", "a number from 0.05 to 1"]),
    ("-1", COUNT, "too_small", ["less than 0"]),
    ("1000.5", POINTS, "too_large", ["more than 1000"]),
    ("-1000.0001", POINTS, "too_small", ["less than -1000"]),
]


def _id(value: object) -> str | None:
    """Short test ids: a huge int or a long text is not printed whole."""
    if isinstance(value, int) and value.bit_length() > 64:
        return f"int-of-{value.bit_length()}-bits"
    if isinstance(value, str) and len(value) > 30:
        return f"{value[:10]}…({len(value)})"
    return None


@pytest.mark.parametrize(("typed", "spec", "value"), ACCEPTED, ids=_id)
def test_accepted(typed: Any, spec: NumberSpec, value: Decimal) -> None:
    number = parse_number(typed, spec)
    assert number == value
    assert number.as_tuple().exponent <= 0  # written out: format(…, "f") has no exponent
    assert "E" not in str(number)


@pytest.mark.parametrize(("typed", "spec", "reason", "words"), REFUSED, ids=_id)
def test_refused(typed: Any, spec: NumberSpec, reason: str, words: list[str]) -> None:
    with pytest.raises(NumberError) as caught:
        parse_number(typed, spec)
    assert _seconds(typed, spec) < FAST
    error = caught.value
    assert error.reason == reason
    assert error.code == f"number_{reason}"
    text = error.message.render()
    assert text.startswith(f"{spec.label}: ")
    assert f"expected {spec.expected.render()}" in text
    for word in words:
        assert word in text, (word, text)
    assert len(text) < 300  # the typed text is shortened, never repeated whole


def test_a_year_field_says_year() -> None:
    spec = year_spec("开始年份", 1990, 2100)
    assert parse_whole("２０２６", spec) == 2026
    with pytest.raises(NumberError) as caught:
        parse_whole("26", spec)
    assert caught.value.message.render() == (
        "开始年份: “26” is less than 1990; expected a year from 1990 to 2100."
    )


def test_ascii_forms_fold_what_an_input_method_types_and_nothing_else() -> None:
    assert ascii_forms("１２，０００．５") == "12,000.5"
    assert ascii_forms("\u3000－３") == " -3"
    assert ascii_forms("−3") == "-3"
    assert ascii_forms("10²①٣") == "10²①٣"


def test_whole_numbers_come_back_as_int() -> None:
    assert parse_whole("1.2e3", COUNT) == 1200
    assert isinstance(parse_whole("1,200", COUNT), int)
    with pytest.raises(ValueError, match="places=0"):
        parse_whole("1", POINTS)


def test_the_expected_text_names_bounds_and_places() -> None:
    assert COUNT.expected.render() == "a whole number from 0 to 1,000,000"
    assert SHARE.expected.render() == "a number from 0.05 to 1 with at most 2 decimal places"
    one = NumberSpec("x", Decimal(1), Decimal(120), 1)
    assert one.expected.render() == "a number from 1 to 120 with at most 1 decimal place"
    big = NumberSpec("x", Decimal(-(10**12)), Decimal(10**12), 6)
    assert "from -1,000,000,000,000 to 1,000,000,000,000" in big.expected.render()


@pytest.mark.parametrize(
    ("minimum", "maximum", "places", "problem"),
    [
        (Decimal(1), Decimal(0), 0, "above maximum"),
        (Decimal("NaN"), Decimal(0), 0, "finite and sane"),
        (Decimal(0), Decimal("Infinity"), 0, "finite and sane"),
        (Decimal(0), Decimal(10) ** 40, 0, "finite and sane"),
        (Decimal(0), Decimal(1), -1, "places must lie"),
        (Decimal(0), Decimal(1), 21, "places must lie"),
    ],
)
def test_a_spec_without_sane_bounds_is_a_programming_error(
    minimum: Decimal, maximum: Decimal, places: int, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        NumberSpec("x", minimum, maximum, places)


def test_shown_text_cuts_and_neutralises() -> None:
    assert shown_text("abc") == "abc"
    assert shown_text("a\u202eb\x00c\x7f") == "a\ufffdb\ufffdc\ufffd"
    assert shown_text("x" * 100, 10) == "x" * 9 + "…"


# --- properties ------------------------------------------------------------------------------

SPECS = st.builds(
    lambda low, width, places: NumberSpec(
        "field", Decimal(low), Decimal(low) + Decimal(width), places
    ),
    st.integers(-(10**15), 10**15),
    st.integers(0, 10**15),
    st.integers(0, 8),
)

HOSTILE = st.one_of(
    st.text(max_size=80),
    st.text(alphabet="0123456789,.eE+-−－１２ \u202e\x00", max_size=80),
    st.builds(
        lambda sign, digits, exponent: f"{sign}{digits}e{exponent}",
        st.sampled_from(["", "-", "+"]),
        st.from_regex(r"[0-9]{1,40}(\.[0-9]{0,40})?", fullmatch=True),
        st.integers(-(10**12), 10**12),
    ),
    st.sampled_from(["NaN", "sNaN", "-sNaN", "Infinity", "-Infinity", "inf", "1e9999999"]),
    st.integers(1, 200_000).map(lambda n: "9" * n),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
    st.floats(),
    st.integers(),
)


def _places(number: Decimal) -> int:
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int)
    return max(0, -exponent)


@given(typed=HOSTILE, spec=SPECS)
def test_any_input_parses_within_bounds_or_is_refused_quickly(typed: Any, spec: NumberSpec) -> None:
    outcome: Decimal | NumberError
    try:
        outcome = parse_number(typed, spec)
    except NumberError as error:
        outcome = error
    assert _seconds(typed, spec) < FAST
    if isinstance(outcome, NumberError):
        assert outcome.spec is spec
        assert len(outcome.message.render()) < 400
    else:
        assert outcome.is_finite()
        assert spec.minimum <= outcome <= spec.maximum
        assert _places(outcome) <= spec.places
        assert len(outcome.as_tuple().digits) <= MAX_DIGITS + 16  # 10**15 written out


@given(data=st.data(), spec=SPECS)
def test_every_number_the_field_allows_reads_back(data: st.DataObject, spec: NumberSpec) -> None:
    step = Decimal(1).scaleb(-spec.places)
    count = int((spec.maximum - spec.minimum) / step)
    number = spec.minimum + step * data.draw(st.integers(0, count))
    for text in (format(number, "f"), format(number, ",f"), f"  {number:f}\t", f"{number:e}"):
        assert parse_number(text, spec) == number, text
    if spec.whole:
        assert parse_whole(format(number, "f"), spec) == int(number)
