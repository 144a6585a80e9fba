"""Evidence attachments (证明材料) of self-assessments and appeals (issue 15 §3, §4). Every upload is hostile:

- its type is read from its first bytes, never from its name or the browser's claim: PDF, PNG or
  JPEG only (documents and pictures; nothing a reader would run);
- its size is limited (`JIGAI_EVIDENCE_BYTES`, default 10 MB);
- it is stored in the database by the SHA-256 of its content (the same file twice is stored once),
  never under the uploaded name and never on disk where a web server could serve or run it;
- it is handed back only as a download named from its hash (`证明材料-<hash>.pdf`), never shown inline.
The uploaded name is kept as text for people to read, cleaned of control characters and cut short.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from dataclasses import dataclass
from datetime import datetime

import duckdb
import pandas as pd

from scoring import engine
from scoring.importing.limits import size_text

BYTES_ENV = "JIGAI_EVIDENCE_BYTES"
DEFAULT_BYTES = 10 << 20
# The first bytes of each accepted type: (magic, media type, extension)
TYPES = ((b"%PDF-", "application/pdf", "pdf"), (b"\x89PNG\r\n\x1a\n", "image/png", "png"),
         (b"\xff\xd8\xff", "image/jpeg", "jpg"))
ACCEPTED = "PDF、PNG、JPEG"


@dataclass(frozen=True)
class Evidence:
    sha256: str
    media_type: str
    extension: str
    size: int
    shown_name: str

    @property
    def download_name(self) -> str:
        return f"证明材料-{self.sha256[:16]}.{self.extension}"


def limit() -> int:
    value = os.environ.get(BYTES_ENV)
    return int(value) if value and value.isdigit() else DEFAULT_BYTES


def check(name: str, data: bytes) -> Evidence:
    """The attachment if it is an accepted type within the size limit; else a Chinese error naming the file."""
    shown = clean_name(name)
    if len(data) > limit():
        raise ValueError(f"证明材料“{shown}”过大：{size_text(len(data))}，上限 {size_text(limit())}。")
    if not data:
        raise ValueError(f"证明材料“{shown}”是空文件。")
    for magic, media_type, extension in TYPES:
        if data.startswith(magic):
            return Evidence(hashlib.sha256(data).hexdigest(), media_type, extension, len(data), shown)
    raise ValueError(f"证明材料“{shown}”的类型不被接受：只接受 {ACCEPTED} 文件（按文件内容判断，不看扩展名）。")


def clean_name(name: str, length: int = 80) -> str:
    """An uploaded name as text to show: no control or format characters, no path, at most `length` characters."""
    base = str(name).replace("\\", "/").rsplit("/", 1)[-1]
    text = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C").strip()
    return (text[:length] + "…") if len(text) > length else (text or "未命名")


def store(con: duckdb.DuckDBPyConnection, owner: str, name: str, data: bytes, actor: str,
          at: datetime | None = None) -> Evidence:
    """Check and keep an attachment for `owner` ('Q:<year>:<inst>:<indicator>' or 'A:<appeal_id>'), inside
    the caller's transaction."""
    item = check(name, data)
    at = at or datetime.now()
    engine.execute(con, "workflow/store_evidence", sha256=item.sha256, media_type=item.media_type,
                   extension=item.extension, bytes=item.size, content=data, at=at)
    engine.execute(con, "workflow/link_evidence", owner=owner, sha256=item.sha256, uploaded_name=item.shown_name,
                   uploaded_by=actor, at=at)
    return item


def listed(con: duckdb.DuckDBPyConnection, owner_prefix: str) -> pd.DataFrame:
    """The attachments of owners starting with `owner_prefix`: owner, sha256, type, size, shown name, who, when."""
    return engine.query(con, "workflow/evidence", scope=None, owner_prefix=owner_prefix)


def content(con: duckdb.DuckDBPyConnection, sha256: str, owner_prefix: str) -> tuple[bytes, str] | None:
    """An attachment's bytes and its download name, if it belongs to an owner under `owner_prefix`
    (so a user reaches only the attachments of what they may see)."""
    found = engine.query(con, "workflow/evidence_content", scope=None, sha256=sha256, owner_prefix=owner_prefix)
    if found.empty:
        return None
    row = found.iloc[0]
    return bytes(row["content"]), f"证明材料-{sha256[:16]}.{row['extension']}"
