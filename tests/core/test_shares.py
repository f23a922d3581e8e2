"""Shares that add up to exactly 100 % (largest remainder), with the rounding visible."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lowcarbon.core.shares import apportion

D = Decimal


def test_three_equal_parts_add_up_to_100_not_99_9() -> None:
    table = apportion({"a": D(1), "b": D(1), "c": D(1)})
    assert [s.shown_pct for s in table.shares] == [D("33.4"), D("33.3"), D("33.3")]
    assert table.shown_total_pct == D(100)
    assert table.share("a").rounding == D("33.4") - D(100) / 3
    assert "largest remainder" in table.note.render()


def test_the_largest_remainder_gets_the_missing_unit_and_order_is_by_amount() -> None:
    table = apportion({"scope 1": D("12.34"), "scope 2": D("87.66")}, places=0)
    # 12.34 → 12 (remainder .34), 87.66 → 87 (remainder .66): the unit goes to scope 2
    assert [(s.key, s.shown_pct) for s in table.shares] == [("scope 2", D(88)), ("scope 1", D(12))]
    with pytest.raises(KeyError):
        table.share("scope 3")


def test_nothing_to_share_gives_no_shares_and_negative_amounts_are_refused() -> None:
    assert apportion({"a": D(0)}).shares == ()
    assert apportion({}).shares == ()
    with pytest.raises(ValueError, match="negative"):
        apportion({"a": D(-1), "b": D(2)})


@given(
    st.dictionaries(
        st.text(min_size=1, max_size=3),
        st.decimals(min_value=0, max_value=10**9, places=3),
        max_size=12,
    ),
    st.integers(0, 3),
)
def test_shown_shares_always_add_up_to_100_and_each_is_within_one_unit(
    amounts: dict[str, Decimal], places: int
) -> None:
    table = apportion(amounts, places)
    if sum(amounts.values(), D(0)) == 0:
        assert table.shares == ()
        return
    unit = D(1).scaleb(-places)
    assert table.shown_total_pct == D(100)
    assert {s.key for s in table.shares} == set(amounts)
    for share in table.shares:
        assert abs(share.rounding) < unit
        assert share.shown_pct == share.shown_pct.quantize(unit)
