"""What an upload may hold at most (README "导入上限"). Every file is untrusted: these
limits are checked before a workbook is parsed, so that no file, however small, can
make the reader allocate more than they allow. Each is a setting: an environment
variable overrides the default."""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MB = 1 << 20


@dataclass(frozen=True)
class Limits:
    file_bytes: int = 512 * MB  # one uploaded file, CSV or XLSX
    unzipped_bytes: int = 1024 * MB  # an XLSX's parts once decompressed, all together
    sheets: int = 64  # sheets of one workbook
    rows: int = 5_000_000  # rows of one CSV or sheet (a sheet holds at most 1,048,576 anyway)
    columns: int = 256  # columns of one CSV or sheet (the widest table has 16)
    cells: int = 30_000_000  # rows × columns of one CSV or sheet's used range
    cell_chars: int = 32_767  # characters of one cell (Excel's own limit)

    @classmethod
    def from_env(cls, environ=os.environ) -> Limits:
        """The defaults, each overridden by JIGAI_IMPORT_<NAME> (e.g. JIGAI_IMPORT_ROWS=100000)."""
        given = {f.name: environ.get(f"JIGAI_IMPORT_{f.name.upper()}") for f in fields(cls)}
        return cls(**{name: int(value) for name, value in given.items() if value})


def size_text(n: int) -> str:
    """A byte count as people read it: 512 MB, 1.5 KB."""
    for unit, size in (("GB", 1 << 30), ("MB", MB), ("KB", 1 << 10)):
        if n >= size:
            return f"{n / size:,.1f}".removesuffix(".0") + f" {unit}"
    return f"{n} 字节"


def describe(limits: Limits) -> str:
    """The limits as the import page states them."""
    return (f"导入上限：单个文件不超过 {size_text(limits.file_bytes)}（Excel 解压后不超过 {size_text(limits.unzipped_bytes)}、"
            f"不超过 {limits.sheets} 个工作表）；每个文件或工作表不超过 {limits.rows:,} 行、{limits.columns} 列；"
            f"每个单元格不超过 {limits.cell_chars:,} 个字符。大批量请用 CSV。")
