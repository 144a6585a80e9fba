"""Chinese labels and number formats for what users see.

Amounts stay `Decimal` yuan in the data layer; they become float 万元/亿元 only here, at
the edge, for charts and tables.
"""

from __future__ import annotations

from decimal import Decimal

import pandas as pd

from scoring.evaluation import GROUP_LABELS
from scoring.policy import load_policy
from scoring.registry import Registry, load_registry

PEER_GROUPS = GROUP_LABELS
STAGES = load_policy().stage_labels()  # R10, with the default policy's time limits
STATUSES = {"met": "按时办结", "breached": "超时", "open": "办理中", "at_risk": "即将超时", "not_applicable": "不适用"}
PRODUCT_CATEGORIES = {"pre_project_plus_project": "前期贷+技改贷", "bank_plus_leasing": "银行+金租",
                      "investment_loan_linkage": "投贷联动", "supply_chain": "上下游协同", "other": "其他"}  # 九–十一
PROJECT_CATEGORIES = {"smart": "智能化", "green": "绿色化", "digital": "数字化", "other": "其他"}
YES_NO = {True: "是", False: "否"}
WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _scaled(amount, unit: Decimal) -> float:
    if amount is None or (not isinstance(amount, Decimal) and pd.isna(amount)):
        return float("nan")
    return float(Decimal(amount) / unit)


def wan(amount) -> float:
    """Yuan → 万元 (display only)."""
    return _scaled(amount, WAN)


def yi(amount) -> float:
    """Yuan → 亿元 (display only)."""
    return _scaled(amount, YI)


def wan_column(values: pd.Series) -> pd.Series:
    return values.map(wan).astype("float64")


def yi_column(values: pd.Series) -> pd.Series:
    return values.map(yi).astype("float64")


def money_text(amount) -> str:
    """A headline amount: 亿元 from one hundred million up, else 万元."""
    if amount is None:
        return "—"
    return f"{yi(amount):,.2f} 亿元" if abs(Decimal(amount)) >= YI else f"{wan(amount):,.2f} 万元"


def percent(share, digits: int = 1) -> str:
    """A share 0–1 as a percentage text; missing → —."""
    if share is None or pd.isna(share):
        return "—"
    return f"{float(share) * 100:.{digits}f}%"


def month_label(month) -> str:
    """"2025年3月" (a month as a date, a timestamp or "2025-03")."""
    month = pd.Timestamp(month)
    return f"{month.year}年{month.month}月"


def indicator_value(indicator_id: str, raw, registry: Registry | None = None) -> str:
    """A raw indicator value in the unit of its registry record: 23.67 亿元, 96.5%, 33.1 个基点, 7 个工作日."""
    if raw is None or pd.isna(raw):
        return "—"
    unit = (registry or load_registry()).unit(indicator_id)
    if unit == "yi":
        return f"{float(raw) / 1e8:,.2f} 亿元"
    if unit == "percent":
        return percent(raw)
    return f"{float(raw):,.1f} {unit}".replace(".0 ", " ")


def indicator_scale(indicator_id: str, registry: Registry | None = None) -> tuple[float, str]:
    """The factor from an indicator's raw value to the number a chart shows, and that number's unit:
    (1e-8, "亿元"), (100, "%") or (1, the registry's unit)."""
    unit = (registry or load_registry()).unit(indicator_id)
    if unit == "yi":
        return 1e-8, "亿元"
    if unit == "percent":
        return 100.0, "%"
    return 1.0, unit


def deadlines(frame: pd.DataFrame) -> pd.Series:
    """Deadlines as text, marked 暂定 where the year has no published holiday schedule (R9)."""
    text = pd.to_datetime(frame["deadline"]).dt.strftime("%Y-%m-%d")
    return text.where(~frame["provisional"].astype(bool), text + "（暂定）")
