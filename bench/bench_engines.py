"""The SLA engine (R9–R10) and the subsidy engine (R1–R4) against a bare scan and pandas.

Per size, in the same run on the same database:
- engine: the judged stages (`staging/sla_stages`), `compliance` by institution, `subsidy_table(2025)` and
  `payment_detail(2025)` as Arrow (the listing the command line writes from), best of 3 warm runs;
- bare scan: one DuckDB count/min/max/sum pass over the rows the engine reads
  (applications; the year's interest payments ⋈ loans ⋈ projects) — the floor;
- pandas: the same computation written the straightforward way (pandas_sla.py,
  pandas_subsidy.py) on frames loaded once (load time reported apart), checked to
  agree with the engine before it is timed: the same statuses, and the same payment listing
  cell by cell in the same order (`payment_listing`).

    .venv/bin/python bench/bench_engines.py --sizes 10000 100000 1000000
"""

from __future__ import annotations

from collections import Counter

import common
import pandas as pd
import pandas_sla
import pandas_subsidy
import pyarrow as pa
import pyarrow.compute as pc
from common import Column

from scoring import sla, subsidy
from scoring.access import REGULATOR
from scoring.engine import materialise
from scoring.engine.frames import unscaled_integers
from scoring.policy import load_policy

POLICY = load_policy()  # the built-in policy file
WORKING = {"week": "working", "policy": POLICY}  # "1周" as five working days, the built-in policy's limits

YEAR = 2025
AS_OF = common.UNTIL  # the demo's last day: every stage of every application is listed

SCAN_APPLICATIONS = """
    select count(*), min(registered_on), max(disbursed_on), count(connected_on), count(decided_on)
    from applications
"""
SCAN_PAYMENTS = """
    select count(*), sum(ip.interest_paid), sum(l.amount), count(p.filed_on)
    from interest_payments as ip
    join loans as l on l.loan_id = ip.loan_id
    join projects as p on p.project_id = l.project_id
    where year(ip.paid_on) = $year
"""

COLUMNS = [
    Column("loans", "loans", "{:,}"),
    Column("measure", "engine call", text=True),
    Column("rows", "input rows", "{:,}"),
    Column("engine", "engine s", "{:.3f}"),
    Column("scan", "bare scan s", "{:.4f}"),
    Column("pandas", "pandas s", "{:.3f}"),
    Column("load", "pandas load s", "{:.2f}"),
    Column("engine_per_scan", "engine/scan", "{:,.0f}×"),
    Column("pandas_per_engine", "pandas/engine", "{:.2f}×"),
    Column("rows_per_second", "rows/s (engine)", "{:,.0f}"),
    Column("check", "agreement with pandas", text=True),
]


class Disagreement(AssertionError):
    """The pandas yardstick does not compute what the engine computes: its timing would mean nothing."""


def measurement(loans: int, measure: str, rows: int, engine: float, scan: float, pandas: float | None = None,
                load: float | None = None, check: str | None = None) -> dict:
    return {
        "loans": loans, "measure": measure, "rows": rows, "engine": engine, "scan": scan, "pandas": pandas,
        "load": load, "engine_per_scan": common.ratio(engine, scan), "pandas_per_engine": common.ratio(pandas, engine),
        "rows_per_second": rows / engine, "check": check,
    }


# --- SLA (R9, R10) ---------------------------------------------------------------------


def build_stages(con) -> None:
    """Every application's judged stages as the temp table `sla_stages`, as the SLA engine builds them."""
    materialise(con, "sla_stages", "staging/sla_stages", scope=None, **sla.stage_params(AS_OF, **WORKING))


def sla_agreement(con, stages) -> str:
    """Counts per stage and status, and met/breached per institution, equal in both (R10)."""
    build_stages(con)
    engine = Counter({(s, t): n for s, t, n in con.execute(
        "select stage, status, count(*) from sla_stages group by stage, status").fetchall()})
    yardstick = Counter({key: int(n) for key, n in stages.groupby(["stage", "status"]).size().items()})
    if engine != yardstick:
        raise Disagreement(f"SLA statuses differ: engine {dict(engine)} vs pandas {dict(yardstick)}")
    by_engine = sla.compliance(con, AS_OF, scope=REGULATOR, **WORKING).set_index("inst_id")[["met", "breached"]].astype(int)
    by_pandas = pandas_sla.compliance_by_institution(stages).set_index("inst_id")[["met", "breached"]].astype(int)
    if not by_engine.sort_index().equals(by_pandas.sort_index()):
        raise Disagreement("SLA compliance per institution differs between the engine and pandas")
    return f"same {sum(engine.values()):,} stages per status"


def bench_sla(con, loans: int, runs: int) -> list[dict]:
    rows = con.execute("select count(*) from applications").fetchall()[0][0]
    load, frames = common.timed(lambda: pandas_sla.load(con))
    check = sla_agreement(con, pandas_sla.stage_statuses(frames, AS_OF))
    scan = common.best_of(lambda: con.execute(SCAN_APPLICATIONS).fetchall(), runs)
    stages = common.best_of(lambda: build_stages(con), runs)
    compliance = common.best_of(lambda: sla.compliance(con, AS_OF, scope=REGULATOR, **WORKING), runs)
    pandas_stages = common.best_of(lambda: pandas_sla.stage_statuses(frames, AS_OF), runs)
    pandas_compliance = common.best_of(
        lambda: pandas_sla.compliance_by_institution(pandas_sla.stage_statuses(frames, AS_OF)), runs)
    return [
        measurement(loans, "sla stages (staging/sla_stages)", rows, stages, scan, pandas_stages, load, check),
        measurement(loans, "sla.compliance by inst_id", rows, compliance, scan, pandas_compliance, load, check),
    ]


# --- subsidies (R1–R4) -----------------------------------------------------------------


def listing_agreement(what: str, engine: pa.Table, yardstick: pd.DataFrame) -> str:
    """The yardstick's listing (`pandas_sla.stage_listing`, `pandas_subsidy.payment_listing`) equal to the
    engine's cell by cell and row by row: the same columns in the same order, the same rows in the same order,
    money in the yardstick's integer fen (a DECIMAL as its unscaled integer: a rate in millionths)."""
    if list(yardstick.columns) != engine.column_names or len(yardstick) != engine.num_rows:
        raise Disagreement(f"{what}: engine {engine.num_rows:,} rows of {engine.column_names}, "
                           f"pandas {len(yardstick):,} rows of {list(yardstick.columns)}")
    for name, field in zip(engine.column_names, engine.schema, strict=True):
        ours = engine[name].combine_chunks()
        if pa.types.is_decimal(field.type):
            ours, theirs = _unscaled(ours), pa.array(yardstick[name].astype("Int64"))
        else:
            theirs = pc.cast(pa.array(yardstick[name], from_pandas=True), field.type)
        same = pc.fill_null(pc.equal(ours, theirs), False)
        differing = len(ours) - pc.sum(pc.or_(same, pc.and_(ours.is_null(), theirs.is_null()))).as_py()
        if differing:
            raise Disagreement(f"{what}: {differing:,} rows differ in {name} between the engine and pandas")
    return f"the same {engine.num_rows:,} {what}, cell by cell in the same order"


def _unscaled(values: pa.Array) -> pa.Array:
    """A DECIMAL(≤ 18) array's unscaled integers, nulls kept."""
    return pa.array(unscaled_integers(values), mask=values.is_null().to_numpy(zero_copy_only=False))


def bench_subsidy(con, loans: int, runs: int) -> list[dict]:
    rows = con.execute("select count(*) from interest_payments where year(paid_on) = $year",
                       {"year": YEAR}).fetchall()[0][0]
    load, frames = common.timed(lambda: pandas_subsidy.load(con))
    detail_arrow = lambda: subsidy.payment_detail(con, YEAR, scope=REGULATOR, policy=POLICY, arrow=True)  # noqa: E731
    check = listing_agreement("payments", detail_arrow(), pandas_subsidy.payment_listing(frames, YEAR))
    scan = common.best_of(lambda: con.execute(SCAN_PAYMENTS, {"year": YEAR}).fetchall(), runs)
    table = common.best_of(lambda: subsidy.subsidy_table(con, YEAR, scope=REGULATOR, policy=POLICY), runs)
    detail = common.best_of(detail_arrow, runs)
    pandas = common.best_of(lambda: pandas_subsidy.payment_listing(frames, YEAR), runs)
    return [
        measurement(loans, f"subsidy.subsidy_table({YEAR})", rows, table, scan),
        measurement(loans, f"subsidy.payment_detail({YEAR}) as Arrow", rows, detail, scan, pandas, load, check),
    ]


NOTES = f"""
Engine and pandas compute the same thing, checked before timing: every stage's status as of
{AS_OF} (counts per stage and status, met/breached per institution), and the listing of every
{YEAR} interest payment with its subsidy after the project caps, cell by cell in the same order
(money in integer fen). Timings are the best of the
warm runs after one untimed call; pandas works on frames already in memory (loading them from
DuckDB is `pandas load s`, once). `subsidy_table` has no pandas column: it adds the guarantee
rewards (R5) and insurance subsidies (R6) and the per-project rows, which the pandas
yardstick does not compute. Input rows: applications for SLA, the year's interest payments
for subsidies. DuckDB uses every core; pandas one.
"""


def main() -> None:
    args = common.parser(__doc__.splitlines()[0]).parse_args()
    about = common.machine()
    results = []
    for loans in args.sizes:
        with common.open_demo(args.out_dir, loans) as con:
            common.progress(f"engines on {loans:,} loans")
            results += bench_sla(con, loans, args.runs) + bench_subsidy(con, loans, args.runs)
    body = NOTES + "\n" + common.markdown_table(results, COLUMNS)
    common.write_result(args.results_dir, "bench_engines", "Engines vs bare scan vs pandas", about, body)


if __name__ == "__main__":
    main()
