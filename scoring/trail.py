"""The workflow's audit trail (issue 15): every step — an API token issued, used or revoked, a
submission, a self-assessment, a review, an appeal and its decision, a corrected run, a changed
setting — is a row of `workflow_events`, hash-chained like `audit_log` (`scoring.audit.WORKFLOW`).

`record` appends and seals inside the caller's transaction; the caller holds the writer lock
(`scoring.writer.exclusive`), since a chain is appended serially.
"""

from __future__ import annotations

import json
from datetime import datetime

import duckdb
import pandas as pd

from scoring import audit, engine
from scoring.access import Scope

ACTIONS = {
    "token_add": "签发 API 令牌", "token_use": "使用 API 令牌", "token_revoke": "吊销 API 令牌",
    "token_refused": "API 令牌被拒", "submission": "报送数据", "settings": "修改报送与复核设置",
    "self_assessment": "定性指标自评", "review": "定性指标评审", "evidence": "上传证明材料",
    "appeal_filed": "提出复核申请", "appeal_decided": "复核决定", "run_corrected": "发布更正评价",
}


def record(con: duckdb.DuckDBPyConnection, actor: str, action: str, inst_id: str | None = None,
           subject: str | None = None, detail: dict | None = None, at: datetime | None = None) -> None:
    """Append one step and seal it into the chain (inside the caller's transaction, if any)."""
    engine.execute(con, "workflow/record_event", at=at or datetime.now(), actor=actor, inst_id=inst_id,
                   action=action, subject=subject,
                   detail=None if detail is None else json.dumps(detail, ensure_ascii=False, sort_keys=True,
                                                                 default=str))
    audit.seal(con, audit.WORKFLOW)


def events(con: duckdb.DuckDBPyConnection, scope: Scope, subject: str | None = None) -> pd.DataFrame:
    """The trail, newest first (at most 500 steps): an institution the steps about itself."""
    frame = engine.query(con, "workflow/events", scope=scope, subject=subject)
    frame["action_label"] = frame["action"].map(ACTIONS).fillna(frame["action"])
    return frame
