"""R13–R16 — the annual 通报 draft: every list of the run, in Chinese, opening in LibreOffice."""

from __future__ import annotations

import os
import shutil
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn

import evaluation_fixture as fx
from scoring import bootstrap, runs
from scoring.method import DEFAULT_METHOD
from scoring.report import BODY_FONT, ISSUERS, write_report

ROOT = Path(__file__).resolve().parent.parent


def _text(path: Path) -> str:
    """The document's text in reading order, tables cell by cell."""
    lines = []
    for block in Document(path).iter_inner_content():
        if hasattr(block, "rows"):
            lines += [cell.text for row in block.rows for cell in row.cells]
        else:
            lines.append(block.text)
    return "\n".join(lines)


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    con = fx.build()
    run = runs.evaluate_and_store(con, fx.YEAR, method_text=fx.OWN_RATIOS, draws=50, publish=True)
    path = write_report(con, run.run_id, tmp_path_factory.mktemp("report") / "通报.docx")
    con.close()
    return run, path


def test_r13_report_names_next_years_list_with_changes(published):
    run, path = published
    text = _text(path)
    assert "关于2025年度“技改专项贷”金融机构综合评价及区县赛马情况的通报" in text
    assert "2026年度“技改专项贷”合作机构名单（揭榜挂帅）" in text
    for name in ("甲银行重庆分行", "乙银行重庆分行", "丙农村商业银行", "渝甲金融租赁", "外丙融资租赁"):
        assert name in text
    assert "新进" in text and "保留" in text and "退出" in text
    assert "不符合遴选资格" in text  # why L2 leaves
    assert "（草稿）" not in text  # published


def test_r15_report_lists_interviews_and_the_unranked(published):
    _, path = published
    text = _text(path)
    assert "约谈名单" in text and "综合评价等级为四级" in text
    assert "戊银行重庆分行" in text and "一票否决" in text  # B5, vetoed
    assert "本年度无技改专项贷发放" in text  # B4


def test_r16_report_has_the_district_table_and_the_run_facts(published):
    run, path = published
    doc = Document(path)
    district_table = next(t for t in doc.tables if t.rows[0].cells[1].text == "区县")
    assert len(district_table.rows) == 1 + 41
    assert district_table.rows[1].cells[1].text == "两江新区" and district_table.rows[1].cells[2].text == "87.50"
    text = _text(path)
    assert run.run_id in text and run.method.sha256 in text and run.run.data_sha256 in text
    assert run.policy.sha256 in text


def test_report_sets_an_east_asian_font(published):
    _, path = published
    fonts = Document(path).styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == BODY_FONT


def _east_asian(run) -> str | None:
    fonts = run._element.rPr.rFonts if run._element.rPr is not None else None
    return None if fonts is None else fonts.get(qn("w:eastAsia"))


def test_report_follows_gb_t_9704_layout(published):
    """党政机关公文格式 (GB/T 9704-2012): A4 type area, 二号小标宋 title, 三号仿宋 body on a fixed
    28-point line, 黑体 / 楷体 headings, page numbers, agencies and date at the end."""
    _, path = published
    doc = Document(path)
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    text_width = section.page_width.mm - section.left_margin.mm - section.right_margin.mm
    text_height = section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm
    assert (round(text_width), round(text_height)) == (156, 225)
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.paragraph_format.line_spacing.pt == 28
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    title = doc.paragraphs[0]
    assert title.text.startswith("关于") and title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size.pt == 22 and _east_asian(title.runs[0]) == "方正小标宋简体"
    first_level = next(p for p in doc.paragraphs if p.text.startswith("一、"))
    assert _east_asian(first_level.runs[0]) == "黑体"
    second_level = next(p for p in doc.paragraphs if p.text.startswith("（一）"))
    assert _east_asian(second_level.runs[0]) == "楷体_GB2312"
    # page numbers: a PAGE field in 宋体 四号 on odd (right) and even (left) pages
    assert doc.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT), (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        paragraph = footer.paragraphs[0]
        assert paragraph.alignment == align and "PAGE" in paragraph._p.xml and paragraph.text.startswith("— ")
        assert paragraph.runs[1].font.size.pt == 14 and _east_asian(paragraph.runs[1]) == "宋体"
    # the agencies, then the date four characters from the right edge, before the annex
    texts = [p.text for p in doc.paragraphs]
    date_at = next(i for i, t in enumerate(texts) if re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", t))
    assert texts[date_at - len(ISSUERS):date_at] == list(ISSUERS)
    assert doc.paragraphs[date_at].paragraph_format.right_indent.pt == 4 * 16
    assert texts.index("附件") > date_at


def test_r14_report_commends_and_awards_from_the_run(tmp_path):
    con = fx.build()
    text = fx.RELATIVE.read_text(encoding="utf-8").replace(
        'grades = [["一级", 90], ["二级", 75], ["三级", 60]]', 'grades = [["一级", 55], ["二级", 45], ["三级", 30]]'
    ).replace("start = 60", "start = 40").replace("full = 100", "full = 80")
    run = runs.evaluate_and_store(con, fx.YEAR, method_text=text, draws=20)
    report = _text(write_report(con, run.run_id, tmp_path / "draft.docx"))
    con.close()
    assert "（草稿）" in report
    # B1 56.09 一级, B3 47.95 and L1 46.71 二级 are commended, B2 12.44 is not;
    # bonus = 4 × (score − 40) / 40: B1 1.609 → 1.6, B3 0.795 → 0.8, L1 0.671 → 0.7
    commended = report[report.index("三、通报表彰"):report.index("四、监管评价加分")]
    assert "以下 3 家机构" in commended
    assert all(name in commended for name in ("甲银行重庆分行", "丙农村商业银行", "渝甲金融租赁"))
    assert "乙银行重庆分行" not in commended
    bonus = report[report.index("四、监管评价加分"):report.index("五、约谈名单")]
    assert "甲银行重庆分行\n56.09\n1.6" in bonus and "丙农村商业银行\n47.95\n0.8" in bonus
    assert "渝甲金融租赁\n46.71\n0.7" in bonus
    # the rules the notice states are the run's method, not the default's
    assert "加分 = 4 ×（综合得分 − 40）÷ 40" in bonus
    assert "对综合评价等级为一级、二级的以下" in commended


def test_report_states_the_selection_and_interview_rules_of_the_run(tmp_path):
    con = fx.build()
    text = DEFAULT_METHOD.read_text(encoding="utf-8").replace("k_min = 3", "k_min = 2").replace(
        "k_max = 5", "k_max = 4").replace("compliance_below = 0.60", "compliance_below = 0.75")
    run = runs.evaluate_and_store(con, fx.YEAR, method_text=text, draws=20)
    report = _text(write_report(con, run.run_id, tmp_path / "draft.docx"))
    con.close()
    assert "不少于 2 家、不多于 4 家" in report and "不少于 3 家" not in report
    assert "“3个1”限时办结达标率低于 75% 的机构" in report


@pytest.mark.slow  # end to end: converts the report with LibreOffice
@pytest.mark.skipif(shutil.which("libreoffice") is None, reason="LibreOffice is not installed")
def test_report_opens_in_libreoffice(published, tmp_path):
    _, path = published
    # the GB/T 9704 fonts are named in the document; for rendering here they fall back to Noto CJK
    env = {**os.environ, "FONTCONFIG_FILE": str(Path(__file__).parent / "fonts" / "fonts.conf")}
    done = subprocess.run(["libreoffice", "--headless", f"-env:UserInstallation=file://{tmp_path / 'lo'}",
                           "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
                          capture_output=True, text=True, timeout=180, env=env)
    pdf = tmp_path / "通报.pdf"
    assert done.returncode == 0 and pdf.is_file(), done.stderr
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
        assert "两江新区" in text and "揭榜挂帅" in text  # Chinese came through, not empty boxes
        assert re.search(r"—\s*1\s*—", text) and re.search(r"—\s*2\s*—", text)  # page numbers
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
        assert "595.3" in info and "841.8" in info  # A4 in points


@pytest.mark.slow  # end to end: the command line in a subprocess
def test_cli_report_writes_the_docx(tmp_path):
    path = tmp_path / "small.duckdb"
    con = fx.build(bootstrap.connect(path, demo_if_missing=False))
    run = runs.evaluate_and_store(con, fx.YEAR, draws=20)
    con.close()
    out = tmp_path / "report.docx"
    done = subprocess.run([sys.executable, "-m", "scoring", "report", "--db", str(path), "--run", run.run_id,
                           "--out", str(out)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "通报稿已写出" in done.stdout and "甲银行重庆分行" in _text(out)
