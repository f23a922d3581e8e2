"""Natural logarithms of Decimals, the same Decimal as :meth:`decimal.Decimal.ln`, faster.

``Decimal.ln`` returns ln x correctly rounded (half to even) to the context's precision; at the
60 digits of the LMDI decomposition (:mod:`lowcarbon.core.decomposition`) each call takes some
tens of microseconds, most of an accounting run's arithmetic. A correctly rounded result is
unique, so any way of finding it gives the same Decimal. :func:`ln` finds it on Python's
integers: x = n/d exactly, reduced to a number just above 1 by a power of two and three table
entries (ln 2 and ln(1 + j/64), ln(1 + i/4096), ln(1 + h/262144), worked out once with
``Decimal.ln`` at 160 digits), then the series ln z = 2·atanh((z − 1)/(z + 1)), in binary fixed
point with a bound on its error. When the interval that bound gives rounds to one Decimal, that
Decimal is ln x; when it straddles a rounding boundary (about once in 10¹⁰), or x is outside
what the fast path serves (0, 1, negative, not finite, extremely close to 1, beyond 10^±100,
a precision above 100 digits), the answer is ``Decimal.ln``'s own. The tests compare both on
the decomposition's kinds of argument and on generated ones, digit for digit and exponent for
exponent.
"""

from __future__ import annotations

import math
from decimal import ROUND_FLOOR, Decimal, getcontext, localcontext
from functools import cache

__all__ = ["ln"]

#: Bits of the tables' fixed point; the working bits of one call stay below it.
_TABLE_BITS = 480
#: The three reduction steps: z ÷ (1 + j/64), ÷ (1 + i/4096), ÷ (1 + h/262144), j, i, h < 64.
_STEPS = (64, 4096, 262144)
#: Bits kept beyond the result's last digit (about 14 decimal digits), so that the error bound
#: rarely reaches a rounding boundary.
_GUARD_DIGITS = 14
_LOG2_10 = math.log2(10)


@cache
def _tables() -> tuple[int, tuple[tuple[int, ...], ...]]:
    """ln 2 and ln(1 + j/step) for each step and j < 64, times 2^_TABLE_BITS, rounded down."""
    with localcontext() as context:
        context.prec = 160
        scale = Decimal(2) ** _TABLE_BITS

        def fixed(value: Decimal) -> int:
            return int((value.ln() * scale).to_integral_value(ROUND_FLOOR))

        steps = tuple(tuple(fixed(Decimal(step + j) / step) for j in range(64)) for step in _STEPS)
        return fixed(Decimal(2)), steps


def _ln_above_one(n: int, d: int, bits: int) -> tuple[int, int]:
    """ln(n/d) × 2^bits for n > d > 0, rounded down, and a bound on its error: each table
    entry is within 2 of the truth (rounded down twice), ln 2 counts k times, the series' seven
    or so terms lose under 3 each."""
    ln2, steps = _tables()
    shift = _TABLE_BITS - bits
    # n/d = 2^k × y with y in [1, 2).
    k = n.bit_length() - d.bit_length()
    if k > 0:
        d <<= k
    if n < d:
        k -= 1
        n <<= 1
    total = k * (ln2 >> shift)
    for step, table in zip(_STEPS, steps, strict=True):
        # y ÷ (1 + j/step) with j = ⌊step·(y − 1)⌋: y lands in [1, 1 + 1/step).
        j = (n - d) * step // d
        n, d = n * step, d * (step + j)
        total += table[j] >> shift
    # y < 1 + 1/262144: ln y = 2·atanh(s), s = (y − 1)/(y + 1) < 2⁻¹⁹, each term 2³⁸ smaller.
    s = ((n - d) << bits) // (n + d)
    s2 = (s * s) >> bits
    series = term = s
    odd = 3
    while term:
        term = (term * s2) >> bits
        series += term // odd
        odd += 2
    return total + 2 * series, 2**6 + 2 * abs(k)


def _rounded(value: int, error: int, bits: int, exponent: int) -> int | None:
    """The integer m that (value ± error) / 2^bits rounds to (half to even) as m × 10^exponent,
    or None when the two ends round apart."""
    if exponent <= 0:
        scale, denominator = 10**-exponent, 1 << bits
    else:
        scale, denominator = 1, (1 << bits) * 10**exponent
    ends = []
    for end in (value - error, value + error):
        quotient, remainder = divmod(end * scale, denominator)
        if 2 * remainder > denominator or (2 * remainder == denominator and quotient & 1):
            quotient += 1
        ends.append(quotient)
    return ends[0] if ends[0] == ends[1] else None


def ln(x: Decimal) -> Decimal:
    """``x.ln()`` in the current context: the same Decimal (module docstring). Unlike
    ``Decimal.ln`` it leaves the context's flags as they were (nothing here reads them)."""
    precision = getcontext().prec
    if not x.is_finite() or x <= 0 or x == 1 or precision > 100 or abs(x.adjusted()) > 100:
        return x.ln()
    n, d = x.as_integer_ratio()
    negative = n < d
    if negative:
        n, d = d, n
    estimate = math.log(n) - math.log(d)
    if estimate < 1e-12:
        return x.ln()  # too close to 1 for the float estimate to place the digits
    # The result's last digit, from the estimate's decimal exponent; a wrong guess near a power
    # of ten shows as a rounded value of another length, and Decimal.ln then answers.
    exponent = math.floor(math.log10(estimate)) - precision + 1
    bits = max(64, math.ceil((_GUARD_DIGITS - exponent) * _LOG2_10))
    value, error = _ln_above_one(n, d, bits)
    coefficient = _rounded(value, error, bits, exponent)
    if coefficient is None or not 10 ** (precision - 1) <= coefficient < 10**precision:
        return x.ln()
    return Decimal(f"{'-' if negative else ''}{coefficient}E{exponent}")
