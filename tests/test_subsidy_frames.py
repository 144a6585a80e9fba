"""The subsidy engine's frames keep exact money (R2–R4: Decimal yuan to the fen): building
each distinct Decimal once gives the same frame as Arrow's own conversion."""

from __future__ import annotations

from decimal import Decimal

import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from scoring.engine.frames import to_pandas as _to_pandas

# DECIMAL(18, 2) yuan and DECIMAL(9, 6) rates, as the queries return them; None is a null
YUAN = st.one_of(st.none(), st.integers(-(10**16) + 1, 10**16 - 1).map(lambda fen: Decimal(fen).scaleb(-2)))
RATE = st.one_of(st.none(), st.integers(-(10**9) + 1, 10**9 - 1).map(lambda micro: Decimal(micro).scaleb(-6)))


def _assert_same_frame(table: pa.Table) -> None:
    ours, arrows = _to_pandas(table), table.to_pandas()
    assert list(ours.columns) == list(arrows.columns)
    assert list(ours.dtypes) == list(arrows.dtypes)
    for name in arrows.columns:
        # repr also compares the exponent: Decimal("1.00") must not come back as Decimal("1")
        assert [repr(value) for value in ours[name]] == [repr(value) for value in arrows[name]], name


@settings(max_examples=60, deadline=None)
@given(
    rows=st.lists(st.tuples(YUAN, YUAN, RATE, st.text(max_size=3)), max_size=40),
    chunk=st.integers(1, 7),
    start=st.integers(0, 5),
)
def test_decimal_columns_match_arrow_conversion(rows, chunk, start):
    """Same values, nulls, scales, column order and dtypes as `Table.to_pandas`, also for
    chunked and sliced columns (a slice has an offset into its buffers)."""
    paid, subsidy, rate, label = (list(column) for column in zip(*rows, strict=True)) if rows else ([], [], [], [])
    table = pa.table({
        "paid": pa.array(paid, pa.decimal128(18, 2)),
        "label": pa.array(label, pa.string()),
        "rate": pa.array(rate, pa.decimal128(9, 6)),
        "subsidy": pa.array(subsidy, pa.decimal128(18, 2)),
    })
    chunked = pa.Table.from_batches(table.to_batches(max_chunksize=chunk), schema=table.schema)
    _assert_same_frame(table)
    _assert_same_frame(chunked.slice(min(start, len(rows))))


def test_worked_example_shares_equal_values():
    """Two columns holding 1,234.50 yuan and a null: the values and the null come back as is."""
    table = pa.table({
        "uncapped": pa.array([Decimal("1234.50"), None, Decimal("-0.01")], pa.decimal128(18, 2)),
        "subsidy": pa.array([Decimal("1234.50"), Decimal("0.00"), None], pa.decimal128(18, 2)),
    })
    frame = _to_pandas(table)
    assert list(frame["uncapped"]) == [Decimal("1234.50"), None, Decimal("-0.01")]
    assert [repr(value) for value in frame["subsidy"]] == ["Decimal('1234.50')", "Decimal('0.00')", "None"]
