"""What an institution reads of a published run (R12–R13): its own indicators beside the
anonymous yardsticks of its peer group, and the wide row the distance-to-goal moves read."""

from __future__ import annotations

import pandas as pd
import pytest

import evaluation_fixture as fx
from scoring import distance, published, runs
from scoring.access import Scope


@pytest.fixture(scope="module")
def run(con):
    return runs.evaluate_and_store(con, fx.YEAR, draws=0, publish=True)


def test_an_institution_beside_its_peer_group(con, run):
    compared = published.institution_comparison(con, run.run_id, Scope("institution", inst_id="B1"))
    stored = run.indicators[(run.indicators["subject"] == "institution") & (run.indicators["subject_id"] == "B1")]
    expected = stored.set_index("indicator").reindex(compared["indicator"])
    assert list(compared["indicator"]) == [i.id for i in run.method.indicators_for("bank")]
    assert compared["contribution"].tolist() == pytest.approx(expected["contribution"].tolist(), nan_ok=True)
    assert compared["raw"].tolist() == pytest.approx(expected["raw"].tolist(), nan_ok=True)
    bench = published.peer_benchmark(con, run.run_id, Scope("institution", inst_id="B1")).set_index("measure")
    assert compared["median"].tolist() == pytest.approx(bench["median"].reindex(compared["indicator"]).tolist(),
                                                        nan_ok=True)
    gap = compared["contribution"] - compared["selected_mean"]
    assert compared["gap"].tolist() == pytest.approx(gap.tolist(), nan_ok=True)


def test_nobody_else_s_comparison_is_read(con, run):
    assert published.institution_comparison(con, run.run_id, Scope("district", district_code="500103")).empty


def test_the_position_is_the_wide_row_the_moves_read():
    row = distance.position(pd.Series({"inst_id": "B1", "score": 70.0}),
                            pd.DataFrame({"raw": [0.8, 12.0], "normalised": [50.0, 75.0]}, index=["S1", "P1"]))
    assert row[["inst_id", "score", "S1_raw", "S1_norm", "P1_raw", "P1_norm"]].tolist() == ["B1", 70.0, 0.8, 50.0, 12.0, 75.0]
