"""Money helpers: exact yuan, half-up to the fen (POLICY.md: money rounding, R2–R7)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.money import div_half_up, from_fen, half_up, ratio, to_fen


def test_half_up_rounds_a_half_fen_away_from_zero_unlike_bankers_rounding():
    # 0.125 → 0.13 (banker's rounding would give 0.12); 0.135 → 0.14; -0.125 → -0.13
    assert half_up(Decimal("0.125")) == Decimal("0.13")
    assert half_up("0.135") == Decimal("0.14")
    assert half_up(Decimal("-0.125")) == Decimal("-0.13")
    assert half_up(Decimal("0.1249999")) == Decimal("0.12")


def test_half_up_of_an_exact_fraction():
    # 300,000.01 × ½ = 150,000.005 → 150,000.01 ; 1/3 yuan = 0.333… → 0.33
    assert half_up(Fraction(30000001, 200)) == Decimal("150000.01")
    assert half_up(Fraction(1, 3)) == Decimal("0.33")


def test_to_fen_and_back():
    # 1,000,000 yuan = 100,000,000 fen; 1.005 yuan → 101 fen (half-up)
    assert to_fen(1_000_000) == 100_000_000
    assert to_fen(Decimal("1.005")) == 101
    assert to_fen("999999.99") == 99_999_999
    assert from_fen(101) == Decimal("1.01")
    assert str(from_fen(0)) == "0.00"


def test_floats_are_refused():
    with pytest.raises(TypeError):
        to_fen(0.1)
    with pytest.raises(TypeError):
        half_up(True)


def test_div_half_up_worked_numbers():
    # 5/2 = 2.5 → 3 ; 7/3 = 2.33 → 2 ; -5/2 = -2.5 → -3 (away from zero, like ROUND_HALF_UP)
    assert div_half_up(5, 2) == 3
    assert div_half_up(7, 3) == 2
    assert div_half_up(-5, 2) == -3
    with pytest.raises(ZeroDivisionError):
        div_half_up(1, 0)


def test_ratio_is_exact():
    # 0.8 = 4/5 ; 0.03 = 3/100 ; 1 = 1/1
    assert ratio(Decimal("0.8")) == (4, 5)
    assert ratio("0.03") == (3, 100)
    assert ratio(1) == (1, 1)
    # a third typed to 28 places is exactly 1/3 once the denominator is limited
    assert ratio(Decimal(1) / Decimal(3), max_denominator=10**6) == (1, 3)
    assert ratio("0.333333", max_denominator=10**6) == (333333, 1000000)


@settings(max_examples=200, deadline=None)
@given(st.integers(-10**15, 10**15), st.integers(1, 10**9))
def test_div_half_up_agrees_with_decimal_half_up(numerator, denominator):
    """The integer idiom the SQL uses is Decimal's ROUND_HALF_UP on the quotient.

    50 digits are exact enough: a quotient with denominator ≤ 10^9 is either exactly on a
    half or at least 1/(2·10^9) away from it.
    """
    with localcontext() as context:
        context.prec = 50
        quotient = Decimal(numerator) / Decimal(denominator)
    assert div_half_up(numerator, denominator) == int(quotient.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=-10**12, max_value=10**12, places=4, allow_nan=False))
def test_fen_round_trip_stays_within_half_a_fen(value):
    fen = to_fen(value)
    assert abs(from_fen(fen) - value) <= Decimal("0.005")
    assert from_fen(fen) == half_up(value)


@settings(max_examples=300)
@given(st.lists(st.tuples(st.sampled_from(["a", "b", "c", None]),
                          st.one_of(st.none(), st.integers(-(10**30), 10**30), st.integers(-(10**18) + 1, 10**18 - 1),
                                    st.integers(-(10**6), 10**6))), min_size=1, max_size=40),
       st.sampled_from([18, 38]))
def test_group_sums_are_exact_whether_or_not_the_amounts_fit_in_64_bits(rows, precision):
    """`group_sums` sums decimals as their unscaled int64 when every amount and the sum of their magnitudes fit,
    else as Arrow decimals: either way each group's sum is Python's exact Decimal sum (null for a group without
    an amount), as DECIMAL(38) of the amounts' scale."""
    import pyarrow as pa

    from scoring.money import group_sums
    kind = pa.decimal128(precision, 2)
    fits = [v if v is None or precision == 38 else (-1 if v < 0 else 1) * (abs(v) % 10**18) for _, v in rows]
    values = [None if v is None else Decimal(v).scaleb(-2) for v in fits]
    table = pa.table({"key": [k for k, _ in rows], "amount": pa.array(values, kind)})
    summed = group_sums(table, ["key"], ["amount"], count_as="rows")
    assert summed.schema.field("amount").type == pa.decimal128(38, 2)
    expected = {}
    with localcontext() as exact:
        exact.prec = 60  # Python's default 28 digits would round the largest sums
        for key, value in zip(table["key"].to_pylist(), values, strict=True):
            total, count = expected.get(key, (None, 0))
            expected[key] = (total if value is None else (value if total is None else total + value), count + 1)
    assert {row["key"]: (row["amount"], row["rows"]) for row in summed.to_pylist()} == expected
