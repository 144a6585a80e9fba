"""What an import tells its user: every issue with its place, or what was written."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from scoring import contract


@dataclass(frozen=True)
class ImportIssue:
    """One problem: where it is (row as Excel numbers it, header = 1) and what is wrong."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    message: str


@dataclass(frozen=True)
class FileResult:
    """One table of one file: its rows and what importing them changed."""

    file: str
    table: str
    sha256: str
    rows: int
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    errors: list[ImportIssue] = field(default_factory=list)
    files: list[FileResult] = field(default_factory=list)
    submission_id: str | None = None  # the receipt's id, when the import went through scoring.receipts.submit

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_text(self) -> str:
        """A Chinese report: what was imported, or every error that stopped it."""
        if not self.ok:
            lines = [f"导入被拒绝：发现 {len(self.errors):,} 处问题，所有文件均未写入，数据库保持原样。"]
            lines += [f"  {describe(issue)}" for issue in self.errors]
            return "\n".join(lines)
        if not self.files:
            return "没有可导入的数据行。"
        total = sum(f.rows for f in self.files)
        lines = [
            f"导入成功：{len(self.files)} 个表文件，共 {total:,} 行（新增 {sum(f.inserted for f in self.files):,}，"
            f"替换 {sum(f.replaced for f in self.files):,}，未变 {sum(f.unchanged for f in self.files):,}）。"
        ]
        for f in self.files:
            label = contract.TABLES[f.table].label
            lines.append(
                f"  {f.file} → {label}（{f.table}）：{f.rows:,} 行，新增 {f.inserted:,}，替换 {f.replaced:,}，"
                f"未变 {f.unchanged:,}；SHA-256 {f.sha256[:12]}…"
            )
        return "\n".join(lines)

    def to_frame(self) -> pd.DataFrame:
        """The errors as a table with Chinese headers, for the dashboard."""
        return pd.DataFrame(
            [(e.file, e.row, e.column, e.value, e.message) for e in self.errors],
            columns=["文件", "行", "列", "值", "问题"],
        )


def describe(issue: ImportIssue) -> str:
    place = "（整个文件）" if issue.row is None else ("表头" if issue.row == 1 else f"第 {issue.row} 行")
    column = f" 列 {issue.column}" if issue.column else ""
    value = f" 值“{shown(issue.value)}”" if issue.value not in (None, "") else ""
    return f"{issue.file} {place}{column}{value}：{issue.message}"


def shown(value: str, limit: int = 80) -> str:
    """A cell as a message quotes it: a huge cell is cut, not printed whole."""
    return value if len(value) <= limit else f"{value[:limit]}…（共 {len(value):,} 字符）"
