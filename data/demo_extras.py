"""Demo products, typical cases, insurance policies, cooperation lists and flags.

These tables are small (tens to thousands of rows) except insurance policies, which
scale with the number of enterprises and are built column-wise like the loans.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from data.demo_kit import FEN_PER_YUAN, WorkDays, concat, digits, ids, pick, reference, to_fen, weighted, year_of
from data.demo_loans import Loans
from data.demo_parties import Enterprises
from data.demo_projects import CATEGORY_LABELS, Projects

PRODUCT_CATEGORIES = ("pre_project_plus_project", "bank_plus_leasing", "investment_loan_linkage", "supply_chain", "other")
PRODUCT_NAMES = {  # (category, name) pairs an institution may offer
    "bank": (
        ("pre_project_plus_project", "前期贷+技改贷"), ("pre_project_plus_project", "技改前期贷"),
        ("bank_plus_leasing", "银租通"), ("investment_loan_linkage", "投贷联动·科创贷"),
        ("investment_loan_linkage", "认股权技改贷"), ("supply_chain", "链上技改贷"),
        ("supply_chain", "产业链协同贷"), ("other", "设备更新贷"), ("other", "智改数转贷"), ("other", "绿色技改贷"),
    ),
    "leasing": (
        ("bank_plus_leasing", "银租联动直租"), ("bank_plus_leasing", "贷租通"),
        ("other", "设备直租"), ("other", "技改售后回租"),
    ),
}
INNOVATIVE = 0.35  # share of products in the 创新产品库 (R17)
PRODUCTS_FIRST_LAUNCH = np.datetime64("2023-01-01")
INSURANCE_KINDS = ("first_set_equipment", "software_first_version", "project_cost_loss")
INSURANCE_SHARES = (0.45, 0.15, 0.40)
POLICIES_PER_FIRM = 0.04
INSURED_YUAN = ((30e6, 0.8), (8e6, 0.6))  # (median, sigma) of first-set and software insured amounts
COST_LOSS_INSURED_SHARE = (0.2, 0.6)  # of the project's investment
PREMIUM_BP = ((100, 400), (80, 300), (30, 150))  # premium rate range by kind: some first-set above R6's 3 %
EQUIPMENT = ("五轴联动数控机床", "新能源汽车电驱动总成装配线", "智能焊装机器人工作站", "高压变频调速装置", "工业CT无损检测系统",
             "大型精密注塑成型机", "智能物流分拣系统", "轨道交通牵引变流器", "盾构机主驱动减速机", "高精度齿轮磨床",
             "锂电池极片激光模切机", "氢燃料电池电堆测试台")
SOFTWARE = ("制造执行系统（MES）", "工业互联网平台", "设备预测性维护软件", "三维设计仿真软件", "智能排产系统", "质量追溯管理系统")


def products(rng: np.random.Generator, insts: pd.DataFrame, until: np.datetime64) -> pd.DataFrame:
    """1–4 products per bank or leasing company (a village bank at most one).

    `name` carries the institution's short name ('重庆银行·链上技改贷'); `label` is the
    product's own name, used when the institution is already named.
    """
    rows = []
    for i in np.flatnonzero(insts["kind"].isin(["bank", "leasing"]).to_numpy()):
        inst = insts.iloc[i]
        offer = PRODUCT_NAMES[inst["kind"]]
        count = int(rng.random() < 0.5) if inst["tier"] == "village" else min(4, 1 + int(inst["weight"] // 3))
        for j in rng.choice(len(offer), size=count, replace=False):
            category, name = offer[j]
            rows.append((i, inst["inst_id"], f"{inst['short']}·{name}", name, category))
    frame = pd.DataFrame(rows, columns=["inst", "inst_id", "name", "label", "category"])
    span = int((until - 60 - PRODUCTS_FIRST_LAUNCH) / np.timedelta64(1, "D"))
    frame["launched_on"] = PRODUCTS_FIRST_LAUNCH + rng.integers(0, max(span, 1), len(frame))
    frame["innovative"] = rng.random(len(frame)) < INNOVATIVE
    frame["product_id"] = ids("PD", len(frame), 3).to_numpy(zero_copy_only=False)
    return frame


def product_rows(frame: pd.DataFrame) -> dict:
    return {c: frame[c].to_numpy() for c in ("product_id", "inst_id", "name", "category", "launched_on", "innovative")}


def insurance_policies(
    rng: np.random.Generator, ents: Enterprises, projects: Projects, project_ids: pa.Array, insts: pd.DataFrame,
    until: np.datetime64,
) -> dict:
    """Policies of the three R6 kinds: first-set equipment (bought by equipment makers),
    software first version, and project cost-loss insurance on a project."""
    n = max(40, round(len(ents) * POLICIES_PER_FIRM))
    kind = weighted(rng, n, INSURANCE_SHARES)
    makers = np.flatnonzero(ents.equipment_maker)
    project = np.where(kind == 2, projects.pick(rng, n), -1)
    ent = np.select(
        [kind == 0, kind == 2],
        [makers[rng.integers(0, len(makers), n)], projects.ent[np.maximum(project, 0)]],
        rng.integers(0, len(ents), n),
    )
    insured_fen = np.select(
        [kind == 0, kind == 1],
        [lognormal_fen(rng, *INSURED_YUAN[0], n), lognormal_fen(rng, *INSURED_YUAN[1], n)],
        to_fen(projects.investment_fen[np.maximum(project, 0)] / FEN_PER_YUAN * rng.uniform(*COST_LOSS_INSURED_SHARE, n), 10_000),
    )
    low, high = np.asarray(PREMIUM_BP)[kind].T
    premium_bp = rng.integers(low, high, endpoint=True)
    insurer_rows = np.flatnonzero((insts["kind"] == "insurer").to_numpy())
    insurer = insurer_rows[weighted(rng, n, insts["weight"].to_numpy()[insurer_rows])]
    first_year = 2024
    return {
        "policy_id": ids("PL", n),
        "ent_id": ents.ent_id[ent],
        "project_id": project_ids.take(pa.array(project, mask=project < 0)),
        "insurer_id": insts["inst_id"].to_numpy(str)[insurer],
        "kind": pick(INSURANCE_KINDS, kind),
        "product_name": insured_product_names(rng, kind),
        "insured_amount_fen": insured_fen,
        "premium_fen": insured_fen * premium_bp // 10_000,  # exact: insured amounts are whole 万元
        "policy_year": rng.integers(first_year, year_of(until) + 1, n),
    }


def lognormal_fen(rng: np.random.Generator, median: float, sigma: float, n: int) -> np.ndarray:
    return to_fen(np.clip(rng.lognormal(np.log(median), sigma, n), median / 20, median * 20), 10_000)


def insured_product_names(rng: np.random.Generator, kind: np.ndarray) -> pa.Array:
    """The insured equipment or software with a model or version, or the cost-loss cover's name."""
    n = len(kind)
    equipment = concat(pick(EQUIPMENT, rng.integers(0, len(EQUIPMENT), n)), " ", pick("CQHJKMRTXY", rng.integers(0, 10, n)),
                       pick("DGLSWZ", rng.integers(0, 6, n)), "-", digits(rng.integers(100, 1000, n), 3))
    software = concat(pick(SOFTWARE, rng.integers(0, len(SOFTWARE), n)), " V1.0")
    cost_loss = pa.array(np.full(n, "技改项目费用损失保险"))
    return pa.array(np.select([kind == 0, kind == 1], [equipment.to_numpy(zero_copy_only=False),
                                                        software.to_numpy(zero_copy_only=False)],
                              cost_loss.to_numpy(zero_copy_only=False)))


def cases(
    rng: np.random.Generator, loans: Loans, cal: WorkDays, registered: np.ndarray, insts: pd.DataFrame,
    ents: Enterprises, projects: Projects, product_names: pa.Array,
) -> dict:
    """Typical cases (典型案例库, R17): 0–3 per lender, each told from one of its real loans.

    `registered` is the registration day of each loan's application (NaT without one);
    `product_names` the name of each loan's product (null without one).
    """
    rows = []
    for i in np.flatnonzero(insts["kind"].isin(["bank", "leasing"]).to_numpy()):
        inst = insts.iloc[i]
        mine = np.flatnonzero(loans.inst == i)
        count = int(rng.random() < 0.3) if inst["tier"] == "village" else min(3, int(rng.random() * 2 + inst["weight"] / 4))
        for k in rng.choice(mine, size=min(count, len(mine)), replace=False):
            rows.append((i, *case_text(loans, k, inst, cal, registered, ents, projects, product_names)))
    case_ids = ids("CS", len(rows), 3).to_numpy(zero_copy_only=False)
    return {
        "case_id": case_ids,
        "inst_id": insts["inst_id"].to_numpy(str)[[r[0] for r in rows]],
        "title": [r[1] for r in rows],
        "year": np.array([r[2] for r in rows], dtype=np.int32),
        "ent_id": [r[3] for r in rows],
        "summary": [r[4] for r in rows],
    }


def case_text(loans: Loans, k: int, inst, cal: WorkDays, registered, ents: Enterprises, projects: Projects,
              product_names: pa.Array) -> tuple[str, int, str, str]:
    """Title, year, enterprise and summary of the case told from loan k."""
    ent = loans.ent[k]
    name = ents.name[ent].as_py()
    work = CATEGORY_LABELS[projects.category[loans.project[k]]]
    product = product_names[k].as_py() or ("技改专项贷" if inst["kind"] == "bank" else "融资租赁")
    wan = loans.amount_fen[k] // (10_000 * FEN_PER_YUAN)
    rate = loans.rate_micro[k] / 10_000
    below = (loans.lpr_micro[k] - loans.rate_micro[k]) // 100
    pricing = f"较同期限LPR低{below}个基点" if below > 0 else "按市场化原则定价"
    summary = f"{inst['name']}以“{product}”为{name}{work}项目提供资金{wan:,}万元，执行年利率{rate:.2f}%，{pricing}"
    if not np.isnat(registered[k]):
        days = int(cal.ordinal_of(loans.disbursed[k:k + 1])[0] - cal.ordinal_of(registered[k:k + 1])[0])
        summary += f"；从需求登记到放款用时{days}个工作日"
    title = f"{inst['short']}以“{product}”支持{name}{work}"
    return title, int(year_of(loans.disbursed[k:k + 1])[0]), ents.ent_id[ent], summary + "。"


def cooperation(insts: pd.DataFrame, until: np.datetime64) -> dict:
    """The cooperating institutions chosen by the 揭榜挂帅 call, for the years up to `until`."""
    years = insts["cooperation"].str.split(";").explode()
    years = years[years != ""].astype(int)
    years = years[years <= year_of(np.array([until]))[0]]
    return {"year": years.to_numpy(np.int32), "inst_id": insts["inst_id"].to_numpy(str)[years.index], "source": np.full(len(years), "call")}


def flags(until: np.datetime64) -> dict:
    frame = reference("demo_flags.csv")
    frame = frame[frame["year"].astype(int) <= year_of(np.array([until]))[0]]
    return {c: frame[c].to_numpy(np.int32 if c == "year" else str) for c in frame.columns}
