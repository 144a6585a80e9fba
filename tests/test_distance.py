"""The ranking page's distance table (`distance.summary`): one line per goal of each scored
institution, best rank first, from the moves that close each gap (R13 selection line, R15 grade lines)."""

from __future__ import annotations

import pandas as pd

from scoring import distance
from scoring.method import load_method

METHOD = load_method()


def move(inst, goal, goal_score, gap, indicator, raw, needed, plan, points):
    return {"inst_id": inst, "goal": goal, "goal_score": goal_score, "gap": gap, "indicator": indicator,
            "name": METHOD.indicator(indicator).name, "raw": raw, "needed": needed, "plan": plan, "points": points}


def test_summary_lists_each_goal_with_its_easiest_moves_best_rank_first():
    group = pd.DataFrame({"inst_id": ["B2", "B1", "B3", "B4"], "name": ["乙", "甲", "丙", "丁"],
                          "status": ["scored", "scored", "scored", "vetoed"], "rank": [2, 1, 3, None],
                          "score": [72.0, 91.0, 58.0, None], "grade": ["三级", "一级", "四级", None],
                          "peer_group": "bank"})
    moves = pd.DataFrame([
        move("B2", "二级", 75.0, 3.0, "V1", 1e8, 1.2e8, "单项", 3.0),
        move("B2", "二级", 75.0, 3.0, "V3", 5.0, 6.0, "单项", 3.0),
        move("B2", "二级", 75.0, 3.0, "T1", 0.5, 0.6, "单项", 3.0),  # a third single move: not shown
        move("B3", "三级", 60.0, 2.0, "V1", 1e8, 3e8, "组合", 1.5),
        move("B3", "三级", 60.0, 2.0, "V3", 5.0, 5.5, "组合", 0.5),
    ])
    lines = distance.summary(group, moves, METHOD, "一级")
    assert lines["name"].tolist() == ["甲", "乙", "丙"]  # rank order; the vetoed institution has no line
    top, second, third = lines.to_dict("records")
    assert (top["goal"], top["how"]) == ("—", "已达最高等级且已入选")
    texts = [distance.move_text(m, METHOD) for m in moves.itertuples()]
    assert (second["goal"], second["goal_score"], second["gap"]) == ("二级", 75.0, 3.0)
    assert second["how"] == f"{texts[0]}；或{texts[1]}"
    assert third["how"] == f"同时{texts[3]}、{texts[4]}"


def test_summary_of_a_group_without_scored_institutions_is_an_empty_table_with_its_columns():
    group = pd.DataFrame({"inst_id": ["L1"], "name": ["甲租赁"], "status": ["vetoed"], "rank": [None],
                          "score": [None], "grade": [None], "peer_group": "leasing"})
    lines = distance.summary(group, pd.DataFrame(columns=[*distance.COLUMNS, "plan", "points"]), METHOD, "一级")
    assert lines.empty and list(lines.columns) == distance.SUMMARY_COLUMNS
