"""The one Arrow → pandas step every engine's results go through, so that the scoring
code sees the same dtypes whichever engine ran the query:

- DECIMAL with a fraction (money, rates) → `decimal.Decimal` objects, exact (None for null);
- whole numbers (any integer width, and DECIMAL(p, 0) such as DuckDB's HUGEINT sums or
  Spark's sums) → int64, or nullable Int64 when the column has nulls;
- DATE → `datetime.date` objects; TIMESTAMP → datetime64; DOUBLE/FLOAT → float64;
  text → str; booleans → bool (object with None when the column has nulls).

Engines differ in integer widths (DuckDB's `year()` is BIGINT, Spark's INT) and in the
precision of a sum (DECIMAL(38,2) against (28,2)); the widths are folded here, the
values are the same.
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def to_pandas(table: pa.Table) -> pd.DataFrame:
    """`table` as a DataFrame with the dtypes above, columns in the table's order."""
    table = _whole_numbers(table)
    decimal_names = [field.name for field in table.schema if pa.types.is_decimal(field.type)]
    whole = {field.name for field in table.schema if pa.types.is_integer(field.type)}
    frame = table.drop_columns(decimal_names).to_pandas()  # whole numbers without nulls come as int64
    for name in whole:  # with nulls they would come as floats: nullable Int64 instead
        if table[name].null_count:
            frame[name] = table[name].to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)
    if not decimal_names:
        return frame
    by_type: dict[pa.DataType, list[str]] = {}
    for name in decimal_names:
        by_type.setdefault(table.schema.field(name).type, []).append(name)
    for names in by_type.values():
        for name, objects in zip(names, _decimal_objects([table[name] for name in names]), strict=True):
            frame[name] = objects
    return frame[table.column_names]


def decimals_as_floats(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with its Decimal columns as float64, for numpy steps that compute in floats
    (the indicator values of the evaluation): the one place exact money becomes a float."""
    exact = [column for column in frame.columns
             if frame[column].dtype == object and frame[column].map(_is_decimal).any()]
    return frame.astype({column: float for column in exact})


def _is_decimal(value) -> bool:
    return isinstance(value, Decimal)


def _whole_numbers(table: pa.Table) -> pa.Table:
    """Every integer column, and every DECIMAL without a fraction that fits, as int64."""
    for i, field in enumerate(table.schema):
        wide = pa.types.is_decimal(field.type) and field.type.scale == 0
        if (pa.types.is_integer(field.type) and field.type != pa.int64()) or wide:
            try:
                table = table.set_column(i, field.name, pc.cast(table[field.name], pa.int64()))
            except pa.ArrowInvalid:  # a whole number beyond int64 stays an exact Decimal
                continue
        elif pa.types.is_floating(field.type) and field.type != pa.float64():
            table = table.set_column(i, field.name, pc.cast(table[field.name], pa.float64()))
    return table


def _decimal_objects(columns: list[pa.ChunkedArray]) -> list[np.ndarray]:
    """Object arrays of `decimal.Decimal` (None for null) for same-typed DECIMAL columns.

    Making a Decimal costs far more than the rest of the frame, and a year's million
    payments hold a few hundred thousand distinct amounts and rates: each distinct
    value of a type is made once."""
    lengths = [len(column) for column in columns]
    merged = pa.concat_arrays([chunk for column in columns for chunk in column.chunks]
                              or [pa.array([], columns[0].type)])
    codes, distinct = _distinct_decimals(merged)
    # the distinct values as Decimals, then None at the end for the null code -1
    values = np.append(distinct.to_pandas().to_numpy(dtype=object), None)
    codes[merged.is_null().to_numpy(zero_copy_only=False)] = -1
    return np.split(values[codes], np.cumsum(lengths)[:-1])


def unscaled_integers(values: pa.Array) -> np.ndarray:
    """A DECIMAL(≤ 18) array's unscaled integers (int64, no copy): the low 64-bit word of each 128-bit value, which
    holds the whole value up to 18 digits (a null's word is whatever the buffer holds)."""
    words = np.frombuffer(values.buffers()[1], dtype=np.int64)
    return words[2 * values.offset:2 * (values.offset + len(values)):2]


def _distinct_decimals(values: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Codes into the distinct values of a DECIMAL array, and those values.

    Up to 18 digits, a value is the low 64 bits of its 128-bit unscaled integer, which
    numpy hashes far faster than Arrow hashes decimals."""
    if not (pa.types.is_decimal128(values.type) and values.type.precision <= 18):
        encoded = values.dictionary_encode()
        return np.array(encoded.indices.fill_null(-1)), encoded.dictionary
    codes, distinct = pd.factorize(unscaled_integers(values))
    as_int128 = np.empty(2 * len(distinct), dtype=np.int64)
    as_int128[0::2] = distinct
    as_int128[1::2] = distinct >> 63  # the sign-extended high word
    return codes, pa.Array.from_buffers(values.type, len(distinct), [None, pa.py_buffer(as_int128)])
