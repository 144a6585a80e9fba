"""Money as exact decimals: yuan with two places, rounded half-up to the fen.

Money never passes through a binary float. Amounts are `decimal.Decimal` yuan in
Python, DECIMAL(18,2) in the database, and integer fen (0.01 yuan) wherever exact
arithmetic is needed; a share or a rate is an exact fraction of two integers.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

FEN = Decimal("0.01")
FEN_PER_YUAN = 100

Exact = Decimal | int | str | Fraction


def _decimal(value: Decimal | int | str) -> Decimal:
    """A Decimal for an exact value; floats and booleans are refused (they are not money)."""
    if isinstance(value, (bool, float)):
        raise TypeError(f"金额必须是精确小数，不能是 {type(value).__name__}：{value!r}")
    return Decimal(value)


def half_up(value: Exact) -> Decimal:
    """`value` rounded half-up (away from zero at .5) to the fen, as yuan with two places."""
    if isinstance(value, Fraction):
        return from_fen(div_half_up(value.numerator * FEN_PER_YUAN, value.denominator))
    return _decimal(value).quantize(FEN, rounding=ROUND_HALF_UP)


def to_fen(value: Exact) -> int:
    """Yuan to integer fen, rounding half-up: Decimal("1.005") → 101."""
    return int(half_up(value) * FEN_PER_YUAN)


def from_fen(fen: int) -> Decimal:
    """Integer fen to yuan with two places: 101 → Decimal("1.01")."""
    return Decimal(int(fen)).scaleb(-2)


def div_half_up(numerator: int, denominator: int) -> int:
    """numerator / denominator rounded half-up (away from zero) to an integer, exactly.

    The integer twin of the SQL idiom `(2 * n + d) // (2 * d)` used for n, d ≥ 0.
    """
    if denominator == 0:
        raise ZeroDivisionError("denominator is zero")
    sign = -1 if (numerator < 0) != (denominator < 0) else 1
    n, d = abs(numerator), abs(denominator)
    return sign * ((2 * n + d) // (2 * d))


def ratio(value: Decimal | int | str, max_denominator: int | None = None) -> tuple[int, int]:
    """A decimal share or rate as a reduced fraction: Decimal("0.8") → (4, 5).

    With `max_denominator`, the nearest fraction whose denominator is at most that, so that a
    third typed as 0.3333… becomes exactly 1/3 and stays small enough for integer arithmetic.
    """
    exact = Fraction(_decimal(value))
    if max_denominator is not None:
        exact = exact.limit_denominator(max_denominator)
    return exact.numerator, exact.denominator


def group_sums(table: pa.Table, keys: list[str], columns: list[str], count_as: str | None = None) -> pa.Table:
    """Exact sums of `table`'s decimal (or integer fen) `columns` per value of `keys`, in Arrow: keys
    first, then each sum under its column's name (a decimal's as Arrow sums it: DECIMAL(38) of the same
    scale, null for a group without a value), then (with `count_as`) the rows of each group. No float
    and no Python object per row: a Python sum per group took seconds over a year's claims. A decimal
    column whose unscaled values and their sum fit in 64 bits is summed as those integers, exactly, and
    made a decimal again: Arrow's decimal sums took 0.6–1.0 s for 446 k projects' five amounts, the
    integers' 0.06–0.17 s."""
    as_units = {}
    for name in columns:
        kind = table.schema.field(name).type
        units = _units(table[name]) if pa.types.is_decimal128(kind) else None
        if units is not None:
            as_units[name] = pa.decimal128(38, kind.scale)
            table = table.set_column(table.schema.get_field_index(name), name, units)
    counted = [([], "count_all")] if count_as else []
    summed = table.group_by(keys).aggregate([*[(name, "sum") for name in columns], *counted])
    names = {f"{name}_sum": name for name in columns} | {"count_all": count_as}
    summed = summed.rename_columns([names.get(name, name) for name in summed.column_names])
    for name, kind in as_units.items():
        summed = summed.set_column(summed.schema.get_field_index(name), name, _decimals(summed[name], kind))
    return summed.select([*keys, *columns, *([count_as] if count_as else [])])


_BOUND = 2.0 ** 62  # below 2**63 by more than a float's error in summing the magnitudes


def _units(column: pa.ChunkedArray) -> pa.Array | None:
    """A DECIMAL(…, s) column's unscaled values (value × 10**s) as int64, nulls kept — None when a value or
    the sum of their magnitudes does not fit, so that no group's sum can overflow."""
    array = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    words = np.frombuffer(array.buffers()[1], dtype=np.int64)[2 * array.offset:2 * (array.offset + len(array))]
    low, high = words[0::2], words[1::2]  # two's complement, little-endian: the high word extends the low one's sign
    valid = np.asarray(array.is_valid()) if array.null_count else None
    if valid is not None:
        low, high = np.where(valid, low, 0), np.where(valid, high, 0)
    if not np.array_equal(high, low >> 63) or np.abs(low.astype(np.float64)).sum() >= _BOUND:
        return None
    return pa.array(low, pa.int64(), mask=None if valid is None else ~valid)


def _decimals(units: pa.ChunkedArray, kind: pa.Decimal128Type) -> pa.Array:
    """int64 unscaled values as the decimals `kind` (nulls kept): `_units` the other way."""
    array = units.combine_chunks() if isinstance(units, pa.ChunkedArray) else units
    low = np.asarray(array.fill_null(0), dtype=np.int64)
    words = np.empty(2 * len(low), dtype=np.int64)
    words[0::2], words[1::2] = low, low >> 63
    decimals = pa.Array.from_buffers(kind, len(low), [None, pa.py_buffer(words)])
    return pc.if_else(array.is_valid(), decimals, pa.scalar(None, kind)) if array.null_count else decimals
