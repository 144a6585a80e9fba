"""Qualitative indicators (issue 15 §3): self-assessment with evidence, the regulator's review, the
final score in the composite, and a method without them that evaluates exactly as before."""

from __future__ import annotations

import hashlib

import pandas as pd
import pytest

import evaluation_fixture as fx
from scoring import audit, db, evidence, qualitative, trail
from scoring.access import REGULATOR, Scope
from scoring.evaluation import evaluate
from scoring.method import DEFAULT_METHOD, load_method
from scoring.registry import DEFAULT_REGISTRY, RegistryError, load_registry

QUALITATIVE_METHOD = DEFAULT_METHOD.parent / "qualitative.toml"
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
B1 = Scope("institution", inst_id="B1")


def registry_without_qualitative():
    """The registry as it was before qualitative indicators existed: the file up to their section."""
    text = DEFAULT_REGISTRY.read_text(encoding="utf-8")
    return load_registry(text[:text.index("# ---- 定性指标")])


def test_the_registry_holds_q1_and_q2_with_guidance_and_a_method_without_them_does_not_see_them():
    q = qualitative.indicators()
    assert [(r.id, r.name) for r in q] == [("Q1", "组织保障与政策落实"), ("Q2", "创新举措与典型经验")]
    assert all(r.qualitative and r.unit == "分" and len(r.guidance) > 50 for r in q)
    assert "Q1" not in load_method().registry.ids("institution")  # the default method weights none
    assert load_method().registry.ids("institution") == registry_without_qualitative().ids("institution")
    weighted = load_method(QUALITATIVE_METHOD)
    assert {"Q1", "Q2"} <= set(weighted.registry.ids("institution"))
    # 80 % quantitative, 20 % qualitative, as the PBOC's credit-policy effect assessment
    assert weighted.weights("bank")[["Q1", "Q2"]].sum() == pytest.approx(0.2)
    assert weighted.weights("leasing")[["Q1", "Q2"]].sum() == pytest.approx(0.2)


def test_a_qualitative_record_needs_its_guidance():
    text = DEFAULT_REGISTRY.read_text(encoding="utf-8")
    start = text.index("[Q2]")
    line = next(l for l in text[start:].splitlines() if l.startswith("guidance"))
    with pytest.raises(RegistryError) as caught:
        load_registry(text.replace(line, ""))
    assert [p.split("：")[0] for p in caught.value.problems] == ["Q2.guidance"]


def test_without_qualitative_indicators_the_evaluation_is_exactly_as_before():
    con = fx.build()
    now = evaluate(con, fx.YEAR, load_method(), draws=30)
    before = evaluate(con, fx.YEAR, load_method(None, registry_without_qualitative()), draws=30)
    con.close()
    pd.testing.assert_frame_equal(now.institutions, before.institutions)
    pd.testing.assert_frame_equal(now.districts, before.districts)
    pd.testing.assert_frame_equal(now.indicators, before.indicators)
    assert not any(c.startswith("Q") for c in now.institutions.columns)


def test_the_final_score_enters_the_composite_with_its_weight():
    con = fx.build()
    qualitative.review(con, fx.YEAR, "B1", "Q1", 80, "专班到位，考核有力。", "regulator")
    qualitative.review(con, fx.YEAR, "B1", "Q2", "60.5", "案例一项。", "regulator")
    qualitative.save_self(con, fx.YEAR, "B2", "Q1", 95, "自评：成立专班。", [], "bank2")  # self only: not counted
    method = load_method(QUALITATIVE_METHOD)
    result = evaluate(con, fx.YEAR, method, draws=0).institutions.set_index("inst_id")
    quantitative = evaluate(con, fx.YEAR, load_method(), draws=0).institutions.set_index("inst_id")
    con.close()
    # bank weights: 100 quantitative + 12.5 + 12.5 → each qualitative point is worth 12.5 / 125 = 0.1
    assert result.at["B1", "Q1_raw"] == 80 and result.at["B1", "Q1_norm"] == 80
    assert result.at["B1", "Q1_contrib"] == pytest.approx(8.0)
    assert result.at["B1", "Q2_contrib"] == pytest.approx(6.05)
    assert pd.isna(result.at["B2", "Q1_raw"]) and result.at["B2", "Q1_contrib"] == 0  # unreviewed scores 0
    # the quantitative part keeps its proportions: 0.8 × the quantitative composite + the qualitative points
    assert result.at["B1", "composite"] == pytest.approx(0.8 * quantitative.at["B1", "composite"] + 14.05)
    ids = [i.id for i in method.indicators_for("bank")]
    scored = result[(result["peer_group"] == "bank") & (result["status"] == "scored")]
    pd.testing.assert_series_equal(scored[[f"{i}_contrib" for i in ids]].fillna(0).sum(axis=1), scored["composite"],
                                   check_names=False)


def test_self_assessment_is_checked_stored_by_hash_and_locked_once_reviewed(empty_con):
    con = empty_con
    con.execute("insert into institutions (inst_id, name, kind) values ('B1', '甲银行', 'bank'), ('B2', '乙银行', 'bank')")
    version = db.data_version(con)
    qualitative.save_self(con, 2025, "B1", "Q1", "85.5", "成立技改专项贷工作专班。",
                          [("../../etc/会议纪要\x07.pdf", PDF), ("截图.png", PNG)], "bank")
    stored = con.execute("select sha256, media_type, extension, bytes from evidence_files order by media_type").fetchall()
    assert stored == [(hashlib.sha256(PDF).hexdigest(), "application/pdf", "pdf", len(PDF)),
                      (hashlib.sha256(PNG).hexdigest(), "image/png", "png", len(PNG))]
    listed = evidence.listed(con, "Q:2025:B1:")
    assert set(listed["uploaded_name"]) == {"会议纪要.pdf", "截图.png"}  # no path, no control character
    data, name = evidence.content(con, hashlib.sha256(PDF).hexdigest(), "Q:2025:B1:")
    assert data == PDF and name == f"证明材料-{hashlib.sha256(PDF).hexdigest()[:16]}.pdf"
    assert evidence.content(con, hashlib.sha256(PDF).hexdigest(), "Q:2025:B2:") is None  # not B2's to download
    assert db.data_version(con) == version  # a self-assessment is not an evaluation input
    qualitative.review(con, 2025, "B1", "Q1", 78, "材料充分，专班运转一般。", "regulator")
    assert db.data_version(con) != version  # a final score is: results kept per data version are stale
    with pytest.raises(ValueError, match="已由监管部门评审"):
        qualitative.save_self(con, 2025, "B1", "Q1", 90, "再改一次", [], "bank")
    side = qualitative.scores(con, 2025, B1).set_index("indicator")
    assert (float(side.at["Q1", "self_score"]), float(side.at["Q1", "final_score"])) == (85.5, 78.0)
    assert set(qualitative.scores(con, 2025, B1)["inst_id"]) == {"B1"}
    assert set(qualitative.scores(con, 2025, REGULATOR)["inst_id"]) == {"B1", "B2"}
    assert trail.events(con, REGULATOR)["action"].tolist() == ["review", "self_assessment"]
    assert all(v.ok for v in audit.verify_all(con))


@pytest.mark.parametrize("score, text, files, message", [
    (101, "说明", [], "0–100"),
    ("80.555", "说明", [], "最多两位小数"),
    ("八十", "说明", [], "0–100"),
    (80, "  ", [], "请填写自评说明"),
    (80, "说明", [("a.pdf", b"<html><script>alert(1)</script>")], "类型不被接受"),
    (80, "说明", [("setup.pdf", b"MZ\x90\x00" + b"\x00" * 60)], "类型不被接受"),
    (80, "说明", [("empty.png", b"")], "空文件"),
])
def test_bad_self_assessments_are_refused_in_chinese_and_nothing_is_written(empty_con, score, text, files, message):
    con = empty_con
    con.execute("insert into institutions (inst_id, name, kind) values ('B1', '甲银行', 'bank')")
    with pytest.raises(ValueError, match=message):
        qualitative.save_self(con, 2025, "B1", "Q1", score, text, files, "bank")
    assert con.execute("select count(*) from qualitative_scores").fetchone() == (0,)
    assert con.execute("select count(*) from evidence_files").fetchone() == (0,)
    assert con.execute("select count(*) from workflow_events").fetchone() == (0,)


def test_evidence_above_the_size_limit_is_refused(monkeypatch):
    monkeypatch.setenv(evidence.BYTES_ENV, "100")
    with pytest.raises(ValueError, match="过大"):
        evidence.check("big.pdf", PDF + b"x" * 200)
    assert evidence.check("ok.pdf", PDF).extension == "pdf"


def test_only_qualitative_indicators_can_be_self_assessed(empty_con):
    with pytest.raises(ValueError, match="不是定性指标"):
        qualitative.save_self(empty_con, 2025, "B1", "V1", 80, "说明", [], "bank")
