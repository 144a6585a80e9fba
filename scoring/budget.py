"""The subsidy-budget simulator: what a change of the rules would cost (R1–R7), before it is made.

A *variant* is a policy file in the format of `scoring/policies/default.toml`. It may be
complete, or name only the keys it changes (a partial variant): those are written into the
default file's text, so the variant that runs is always a whole, checked policy whose text
and SHA-256 can be stored and compared (`load_variant`). A variant file may carry one more
section, `[budget]`, which the policy itself does not have:

    [budget]
    amount = 300_000_000          # yuan; leave out for no limit
    priority = "cooperating"      # R7 queue: "cooperating" (default, 十九 优先兑现) or "paid_on"

Over the year's real payment records, the simulator recomputes every subsidy with the
subsidy engine's own steps (`subsidy.prepare`: R1–R6 in SQL, caps applied) under the baseline
and under the variant, in one query session, so a step the variant does not change (the year's
judged payments, when only a cap, a guarantee or insurance term, the split or the budget
changes) is built once; both are summed per project and kind in SQL (`queries/budget/`). The
variant is paid from the budget in queue order:

1. interest subsidies (loans and leases), claim by claim in the R7 order — with the default
   priority exactly `payment_queue`'s order and payments (a test holds them equal);
2. then guarantee rewards (R5) and insurance premium subsidies (R6), which the R7 queue does
   not hold, by project id. Whole claims are paid while money lasts, at most one in part
   (`pay`, over integer fen).

The result has one row per project and subsidy kind (`project_id`, `kind`, `baseline`,
`variant`, `paid`, `waiting`, the city and district parts of the variant), in yuan, exact
to the fen. Totals by district, institution and kind, gainers and losers, and the cost
curve of one parameter swept over a range are built from it.
"""

from __future__ import annotations

import hashlib

import json
import re
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from scoring import engine, shared
from scoring.access import REGULATOR, Scope
from scoring.export import write_batches
from scoring.money import group_sums, half_up, ratio, to_fen
from scoring.policy import DEFAULT_POLICY, FIELDS, Policy, PolicyError, load_policy
from scoring.subsidy import KIND_LABELS, prepare

MICRO = Decimal("0.000001")  # a share or rate has at most six decimals (the SQL binds millionths)
PRIORITIES = {"cooperating": "当年合作机构优先，再按付息日期（R7 默认）", "paid_on": "只按付息日期先后"}
INTEREST_KINDS = ("loan", "lease")
KEY = ["project_id", "kind"]
MONEY = ["baseline", "variant", "change", "paid", "waiting", "city_part", "district_part"]
MONEY_TYPE = pa.decimal128(18, 2)  # yuan to the fen, as the queries give them (a value finer than the fen is refused)
COLUMNS = ["project_id", "kind", "kind_text", "ent_id", "district_code", "inst_ids", *MONEY]

# The parameters a variant may change, each with its Chinese name; the sweep and the page use them.
PARAMETERS = {
    "interest.loan_rate_share": "贷款贴息比例（占实际利率）",
    "interest.lease_rate_share": "融资租赁贴息比例（占租息）",
    "interest.rate_points": "贴息上限（百分点）",
    "caps.loan": "贷款贴息每项目每年封顶（元）",
    "caps.lease": "租赁贴息每项目每年封顶（元）",
    "eligibility.min_investment": "项目投资额门槛（元）",
    "guarantee.share": "担保奖补比例",
    "guarantee.fee_rate_max": "担保费率上限",
    "guarantee.cap": "担保奖补每项目累计封顶（元）",
    "insurance.share": "保费补贴比例",
    "insurance.first_set_rate_max": "首台（套）保费费率上限",
    "insurance.first_set_cap": "首台（套）每产品每年封顶（元）",
    "insurance.software_cap": "软件首版次封顶（元）",
    "insurance.cost_loss_cap": "费用损失保险封顶（元）",
    "queue.city_share": "市级分担比例",
}


@dataclass(frozen=True)
class Variant:
    """A policy variant with the budget it is paid from (None = no limit) and the queue priority."""

    policy: Policy
    budget: Decimal | None = None
    priority: str = "cooperating"

    def __post_init__(self):
        if self.budget is not None and Decimal(self.budget) < 0:
            raise ValueError(f"预算不能为负数：{self.budget}")
        if self.priority not in PRIORITIES:
            raise ValueError(f"budget.priority 只能是 {'、'.join(PRIORITIES)}，收到：{self.priority!r}")

    @property
    def text(self) -> str:
        """The variant as a file `load_variant` reads back: the policy's text and the [budget] section."""
        amount = [] if self.budget is None else [f"amount = {self.budget}"]
        return self.policy.text + "\n".join(["[budget]", *amount, f'priority = "{self.priority}"', ""])

    @property
    def sha256(self) -> str:
        """What identifies the variant (its file's text): the pages' cache key, rather than the whole object."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def load_variant(source: str | Path | None = None, base: str | None = None) -> Variant:
    """The variant in `source` (a file path or TOML text; None = the default policy, no budget),
    keys it does not name taken from `base` (default: the built-in policy file's text)."""
    if source is None:
        return Variant(load_policy())
    text = Path(source).read_text(encoding="utf-8") if _is_path(source) else str(source)
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise PolicyError([f"不是合法的 TOML 文件：{error}"]) from None
    budget = data.pop("budget", {}) or {}
    if not isinstance(budget, dict) or set(budget) - {"amount", "priority"}:
        raise PolicyError(["budget：只能有 amount（元）和 priority（cooperating 或 paid_on）两项"])
    amount = budget.get("amount")
    if amount is not None and (isinstance(amount, bool) or not isinstance(amount, (int, Decimal)) or amount < 0):
        raise PolicyError([f"budget.amount：应为不小于 0 的金额（元），实际为 {amount!r}"])
    complete = all(key in (data.get(section) or {}) for section, key, *_ in FIELDS)
    if complete:  # a whole policy file runs as it is written (its SHA-256 is the file's)
        policy_text = re.sub(r"^\[budget\][^\[]*", "", text, flags=re.M)
    else:
        policy_text = merge(data, DEFAULT_POLICY.read_text(encoding="utf-8") if base is None else base)
    return Variant(load_policy(policy_text), None if amount is None else half_up(Decimal(amount)),
                   budget.get("priority", "cooperating"))


def _is_path(source) -> bool:
    return isinstance(source, Path) or ("\n" not in source and source.strip().endswith(".toml"))


def merge(overrides: dict, base: str) -> str:
    """`base` policy text with each `[section] key` of `overrides` set to its value; comments
    and layout kept, so the variant reads like the file it came from. Unknown keys are errors."""
    known = {(section, key) for section, key, *_ in FIELDS}
    problems = []
    text = base
    for section, table in overrides.items():
        if not isinstance(table, dict):
            problems.append(f"{section}：应为表（键 = 值 的集合）")
            continue
        for key, value in table.items():
            if (section, key) not in known:
                problems.append(f"{section}.{key}：未知配置项")
                continue
            text = _set(text, section, key, _literal(value))
    if problems:
        raise PolicyError(problems)
    return text


def _set(text: str, section: str, key: str, literal: str) -> str:
    """Replace the value of `key` in `[section]` of `text` (the section runs to the next header)."""
    head = re.search(rf"^\[{re.escape(section)}\][^\n]*$", text, flags=re.M)
    end = re.search(r"^\[", text[head.end():], flags=re.M)
    stop = head.end() + (end.start() if end else len(text) - head.end())
    body = re.sub(rf"^({re.escape(key)}\s*=\s*)([^#\n]*?)(\s*(#.*)?)$",
                  lambda m: m.group(1) + literal + m.group(3), text[head.end():stop], count=1, flags=re.M)
    return text[:head.end()] + body + text[stop:]


def _literal(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, (int, date)):
        return str(value) if isinstance(value, int) else value.isoformat()
    return json.dumps(value, ensure_ascii=False)


def with_value(policy: Policy, parameter: str, value) -> Policy:
    """`policy` with one parameter (`section.key`) set to `value`, checked like any policy file."""
    section, key = parameter.split(".")
    kind = next(k for s, name, _, k in FIELDS if (s, name) == (section, key))
    exact = Decimal(str(value))
    exact = half_up(exact) if kind == "yuan" else exact.quantize(MICRO, rounding=ROUND_HALF_UP)  # what the file holds
    return load_policy(merge({section: {key: exact.normalize()}}, policy.text))


# --- the simulation -------------------------------------------------------------------


def simulation(con: duckdb.DuckDBPyConnection, year: int, variant: Variant, baseline: Policy | None = None,
               scope: Scope = REGULATOR) -> pa.Table:
    """One row per project and subsidy kind of `year`: the baseline and the variant subsidy, the
    change, what the budget pays of the variant (queue order) and what waits; COLUMNS, yuan as
    Arrow decimals (the page sums them and shows a few hundred rows of 446 k at a million loans).

    The queue is over all claims; `scope` filters the rows returned (an institution sees the
    projects it financed, guaranteed or insured, a district its own)."""
    with engine.session(con) as cur:
        table = cur.arrow("budget/simulation", scope=None, **_simulated(cur, year, variant, baseline))
    if scope.inst_id:
        table = table.filter(pc.match_substring_regex(table["inst_ids"], f"(^|;){re.escape(scope.inst_id)}(;|$)"))
    if scope.district_code:
        table = table.filter(pc.equal(table["district_code"], scope.district_code))
    return table.select(COLUMNS)


def simulate(con: duckdb.DuckDBPyConnection, year: int, variant: Variant, baseline: Policy | None = None,
             scope: Scope = REGULATOR) -> pd.DataFrame:
    """`simulation` as a DataFrame (yuan as Decimal)."""
    return engine.to_pandas(simulation(con, year, variant, baseline, scope))


def write(con: duckdb.DuckDBPyConnection, year: int, variant: Variant, path: str | Path,
          baseline: Policy | None = None) -> tuple[int, dict[str, Decimal]]:
    """`simulation` over all rows written to `path` (CSV or XLSX, `scoring.export`) from Arrow, no
    Python object per cell; returns the number of rows and the `totals`."""
    table = simulation(con, year, variant, baseline)
    rows = write_batches(table.to_reader(), path, sheet="budget", rows=table.num_rows)
    return rows, totals(table)


def _simulated(cur: engine.Session, year: int, variant: Variant, baseline: Policy | None) -> dict:
    """Leave in `cur` what budget/simulation reads; return its parameters.

    Each policy's subsidy items are built once (`subsidy.prepare`: shared in the app, and within
    the session a step whose parameters and inputs the variant does not change is kept, so a
    variant of the caps or of the budget reuses the baseline's judged payments) and summed per
    project and kind in SQL; the budget is paid over the variant's claims in queue order (`pay`)."""
    baseline = baseline or load_policy()
    project_kinds(cur, "budget_baseline", year, baseline, keep=True)
    project_kinds(cur, "budget_variant", year, variant.policy, keep=variant.policy.sha256 == baseline.sha256)
    cur.materialise("budget_rows", "budget/rows", scope=None)
    unlimited = variant.budget is None
    paid = pa.table({"project_id": pa.array([], pa.string()), "kind": pa.array([], pa.string()),
                     "paid_fen": pa.array([], pa.int64())})
    if not unlimited:
        claims = cur.arrow("budget/claims", scope=None, year=int(year), by_paid_on=variant.priority == "paid_on")
        fen = pay(claims["fen"].to_numpy(), to_fen(variant.budget))
        paid = group_sums(claims.select(KEY).append_column("paid_fen", pa.array(fen)), KEY, ["paid_fen"])
    cur.register("budget_paid", paid)
    num, den = ratio(variant.policy.city_share, max_denominator=1_000_000)  # as payment_queue takes it
    return {"unlimited": unlimited, "city_share_num": num, "city_share_den": den}


def project_kinds(cur: engine.Session, table: str, year: int, policy: Policy, keep: bool) -> None:
    """Leave in `cur` the year's subsidy under `policy` per project and kind (budget/project_kinds) as
    `table`. With `keep` (the baseline's rules, and a variant that changes none of them) the sums are
    kept in the database per data version where results are shared (`shared.stored`; the built-in policy's by
    the last import): opening the page reads them instead of summing a year's items again (0.6 s a policy at a
    million loans); a variant's are summed in the session."""
    prepare(cur, year, policy)
    if keep and shared.sharing(cur):
        def build(tables: dict[str, str]) -> None:
            cur.store(tables["sums"], "budget/project_kinds", scope=None, year=int(year))

        kept = shared.stored(cur, "budget/project_kinds", (int(year), policy.sha256), ("sums",), build, keep=2,
                             reported=True)
        if kept:
            cur.provide(table, kept["sums"])
            return
    cur.materialise(table, "budget/project_kinds", scope=None, year=int(year))


def pay(claims_fen: np.ndarray, budget_fen: int | None) -> np.ndarray:
    """What a budget pays of claims in order: whole claims while it lasts, the next in part, then nothing."""
    claims_fen = np.asarray(claims_fen, dtype="int64")
    if budget_fen is None:
        return claims_fen.copy()
    ahead = np.cumsum(claims_fen) - claims_fen
    return np.clip(budget_fen - ahead, 0, claims_fen)


# --- summaries --------------------------------------------------------------------------


def totals(table: pd.DataFrame | pa.Table) -> dict[str, Decimal]:
    """The simulation's totals in yuan: baseline, variant, change, paid, waiting, city and district parts."""
    if isinstance(table, pa.Table):
        return {name: pc.sum(table[name]).as_py() or Decimal("0.00") for name in MONEY}
    return {name: sum(table[name], Decimal(0)) for name in MONEY}


SUMMED = ["baseline", "variant", "change", "paid", "waiting"]  # what `by` sums


def money_table(table: pd.DataFrame | pa.Table) -> pa.Table:
    """A simulation `table`'s keys and yuan as Arrow, for exact sums per group (`by`, `movers`): made
    once per summary, since turning Decimal objects into Arrow decimals is the slow part."""
    keys = [k for k in ("project_id", "ent_id", "district_code", "kind", "inst_ids")
            if k in (table.column_names if isinstance(table, pa.Table) else table.columns)]
    if isinstance(table, pa.Table):
        return table.select([*keys, *SUMMED]).cast(pa.schema(
            [*(pa.field(k, pa.string()) for k in keys), *(pa.field(name, MONEY_TYPE) for name in SUMMED)]))
    return pa.table({**{k: pa.array(table[k].astype(object), pa.string()) for k in keys},
                     **{name: pa.array(table[name], MONEY_TYPE) for name in SUMMED}})


def sum_by(rows: pa.Table, column: str, money: list[str]) -> pa.Table:
    """The yuan columns `money` of `rows` (`money_table`) summed exactly per value of `column`
    (missing values left out), one row per value in its order, as Arrow decimals (`group_sums`): a
    Python sum per group took 15 s for the 376,419 projects of a year at a million loans. Only the columns
    summed are copied, and only where a value is missing (filtering all ten took 0.1–0.7 s a sum at a million)."""
    rows = rows.select([column, *money])
    if rows[column].null_count:
        rows = rows.filter(pc.is_valid(rows[column]))
    return group_sums(rows, [column], money).sort_by(column)


def by(table: pd.DataFrame | pa.Table, column: str) -> pd.DataFrame:
    """Baseline, variant, change, paid and waiting summed by `column` (district_code, kind or
    institution: a project financed by several institutions counts for each, in full), the
    largest change first, then the largest baseline."""
    rows = table if isinstance(table, pa.Table) else money_table(table)
    if column == "inst_id":
        ids = pc.split_pattern(rows["inst_ids"], ";")
        rows = rows.select(SUMMED).take(pc.list_parent_indices(ids)).append_column("inst_id", pc.list_flatten(ids))
    summed = sum_by(rows, column, SUMMED).to_pandas()
    # the largest changes first; among equal changes (all of them when the variant changes nothing) the largest subsidy
    order = summed.assign(size=summed["change"].map(abs)).sort_values(["size", "baseline"], ascending=False,
                                                                       kind="stable").index
    return summed.loc[order].reset_index(drop=True)


def movers(table: pd.DataFrame | pa.Table, of: str = "project_id",
           count: int = 20) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The `count` projects (or enterprises, `of="ent_id"`) that gain most and that lose most."""
    rows = table if isinstance(table, pa.Table) else money_table(table)
    summed = sum_by(rows, of, ["baseline", "variant", "change"])
    moved = summed.filter(pc.not_equal(summed["change"], 0)).to_pandas()
    gain = moved[moved["change"] > 0].sort_values(["change", of], ascending=[False, True]).head(count)
    loss = moved[moved["change"] < 0].sort_values(["change", of]).head(count)
    return gain.reset_index(drop=True), loss.reset_index(drop=True)


@dataclass(frozen=True)
class Summary:
    """Everything the budget page shows of one simulation, computed once per variant and data
    version (summing Decimal yuan over every project takes seconds at a million loans)."""

    totals: dict[str, Decimal]
    by_district: pd.DataFrame
    by_institution: pd.DataFrame
    by_kind: pd.DataFrame
    movers: dict[str, tuple[pd.DataFrame, pd.DataFrame]]  # "project_id" / "ent_id" → (gain, loss)
    changed: dict[str, int]  # projects, enterprises, rows_up, rows_down whose subsidy changes
    waiting: pd.DataFrame  # the WAITING_SHOWN rows with most left unpaid, largest first
    waiting_rows: int


WAITING_SHOWN = 200


def summary(con: duckdb.DuckDBPyConnection, year: int, variant: Variant) -> Summary:
    """`summarise(simulation(…))` of `year` under `variant`, over all rows. Where results are shared
    (the app) it is kept in the database per data version and variant (a few hundred rows), so the
    page's first visit — the import keeps the current rules', the background warm-up too — reads it instead of
    simulating and summing 446 k projects (1.5 s at a million loans); the simulation's own rows are
    made only for the download."""
    if not shared.sharing(con):
        return summarise(simulation(con, year, variant))
    return _summary_of(shared.tables(con, "budget/summary", (int(year), variant.sha256),
                                     lambda: _summary_parts(summarise(simulation(con, year, variant))), keep=True,
                                     at_import=True))


FRAMES = ("by_district", "by_institution", "by_kind", "waiting")


def _summary_parts(found: Summary) -> dict[str, pa.Table]:
    parts = {name: shared.arrow_of(getattr(found, name)) for name in FRAMES}
    for of, (gain, loss) in found.movers.items():
        parts[f"gain:{of}"], parts[f"loss:{of}"] = shared.arrow_of(gain), shared.arrow_of(loss)
    parts["totals"] = pa.table({name: pa.array([value], MONEY_TYPE) for name, value in found.totals.items()})
    parts["counts"] = pa.table({name: [count] for name, count in {**found.changed, "waiting_rows": found.waiting_rows}
                               .items()})
    return parts


def _summary_of(parts: dict[str, pa.Table]) -> Summary:
    counts = parts["counts"].to_pylist()[0]
    return Summary(
        totals=parts["totals"].to_pylist()[0], **{name: shared.pandas_of(parts[name]) for name in FRAMES},
        movers={of: (shared.pandas_of(parts[f"gain:{of}"]), shared.pandas_of(parts[f"loss:{of}"]))
                for of in ("project_id", "ent_id")},
        changed={name: counts[name] for name in ("projects", "enterprises", "rows_up", "rows_down")},
        waiting_rows=counts["waiting_rows"])


def summarise(table: pa.Table) -> Summary:
    """The page's summaries of a `simulation`, summed as Arrow decimals, exactly."""
    money = money_table(table)
    moved = table.filter(pc.not_equal(table["change"], 0))
    waiting = table.filter(pc.greater(table["waiting"], 0))
    return Summary(
        totals=totals(table), by_district=by(money, "district_code"), by_institution=by(money, "inst_id"),
        by_kind=by(money, "kind"), movers={of: movers(money, of) for of in ("project_id", "ent_id")},
        changed={"projects": pc.count_distinct(moved["project_id"]).as_py(),
                 "enterprises": pc.count_distinct(moved["ent_id"]).as_py(),
                 "rows_up": pc.sum(pc.greater(moved["change"], 0)).as_py() or 0,
                 "rows_down": pc.sum(pc.less(moved["change"], 0)).as_py() or 0},
        waiting=engine.to_pandas(waiting.sort_by([("waiting", "descending")]).slice(0, WAITING_SHOWN)),
        waiting_rows=waiting.num_rows)


def sweep(con: duckdb.DuckDBPyConnection, year: int, parameter: str, values, base: Policy | None = None,
          budget: Decimal | None = None) -> pd.DataFrame:
    """The cost curve of one parameter: per value, the total subsidy of the year under the
    variant that differs from `base` only there, and what `budget` pays of it (yuan)."""
    if parameter not in PARAMETERS:
        raise ValueError(f"不能扫描的参数：{parameter}（可选：{'、'.join(PARAMETERS)}）")
    base = base or load_policy()
    rows = []
    with engine.session(con) as cur:  # one session: each point rebuilds only what the parameter reaches
        for value in values:
            prepare(cur, year, with_value(base, parameter, value), share=False)
            cost = cur.query("budget/cost", scope=None, year=int(year))["cost"].iloc[0]
            rows.append({"parameter": parameter, "value": Decimal(str(value)), "cost": cost,
                         "paid": cost if budget is None else min(cost, half_up(budget))})
    return pd.DataFrame(rows)
