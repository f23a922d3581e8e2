"""core.logarithms.ln is Decimal.ln: the same digits and exponent, on the decomposition's kinds
of argument, on any positive Decimal at any precision, and wherever it hands over to
Decimal.ln."""

from __future__ import annotations

from decimal import Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.core.decomposition import PRECISION
from lowcarbon.core.logarithms import _rounded, ln

D = Decimal


def same(x: Decimal, precision: int) -> None:
    with localcontext() as context:
        context.prec = precision
        fast, exact = ln(x), x.ln()
    # repr shows every digit and the exponent: Decimal("2.50") and Decimal("2.5") differ.
    assert repr(fast) == repr(exact)


@given(
    st.integers(1, 10**9),
    st.integers(1, 10**9),
    st.integers(0, 8),
    st.integers(0, 8),
)
def test_ratios_at_the_decomposition_precision(a: int, b: int, shift_a: int, shift_b: int) -> None:
    # The decomposition takes ln of quotients at 60 digits and of tonnes with decimals.
    with localcontext() as context:
        context.prec = PRECISION
        ratio = D(a).scaleb(-shift_a) / D(b).scaleb(-shift_b)
    same(ratio, PRECISION)
    same(D(a).scaleb(-shift_a), PRECISION)


@given(
    st.decimals(min_value=D("1e-30"), max_value=D("1e30"), allow_nan=False),
    st.integers(1, 100),
)
def test_any_positive_decimal_at_any_precision(x: Decimal, precision: int) -> None:
    same(x, precision)


@given(st.integers(-(10**12), 10**12).filter(bool), st.integers(6, 13))
def test_near_one(offset: int, places: int) -> None:
    # Year-on-year ratios sit close to 1, where the logarithm is small.
    same(D(1) + D(offset).scaleb(-places - 12), PRECISION)


@pytest.mark.parametrize(
    "x",
    [
        "3",  # 3 = 2 × 1.5
        "1.6666666666666666666666666666666666666666666666666666666667",  # 5/3, scaled 2/3 to 1
        "0.3",
        "1.9999999999999999",
        "12345678901234567890.123",
        "1E+100",
        "1E-100",
    ],
)
def test_chosen_arguments(x: str) -> None:
    for precision in (1, 2, 28, PRECISION, 100):
        same(D(x), precision)


@pytest.mark.parametrize(
    ("x", "precision"),
    [
        ("1", PRECISION),  # exactly 0
        ("0", PRECISION),  # -Infinity
        ("Infinity", PRECISION),
        ("1.00000000000000000001", PRECISION),  # too close to 1 for the float estimate
        ("2", 101),  # beyond the tables' precision
        ("1E+101", PRECISION),  # beyond 10^100 (the integers of its ratio grow long)
        ("1E-999999", PRECISION),
        ("16318", 1),  # ln = 9.7 rounds to 1E+1: the estimated exponent is one too low
    ],
)
def test_arguments_left_to_decimal_ln(x: str, precision: int) -> None:
    same(D(x), precision)


def test_a_negative_argument_raises_as_decimal_ln_does() -> None:
    with pytest.raises(ArithmeticError):
        ln(D(-1))


def test_rounding_when_the_error_interval_straddles_a_boundary() -> None:
    # 8/16 = 0.5 exactly, ± 1/16: one end rounds to 0, the other to 1.
    assert _rounded(8, 1, 4, 0) is None
    # 26/16 = 1.625 ± 1/16 rounds to 2 at both ends; 2.5 (40/16) to 2 (half to even); 25 × 10
    assert _rounded(26, 1, 4, 0) == 2
    assert _rounded(40, 0, 4, 0) == 2
    assert _rounded(4000, 1, 4, 1) == 25
