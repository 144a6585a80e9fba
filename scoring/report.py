"""The annual 通报 draft of a stored evaluation run, as a Word document (R13–R16, 十六 十八 十九).

`write_report(con, run_id, out)` writes, in Chinese and in the order a notice reads:
the results per peer group (rank, score, grade, rank band), next year's 揭榜挂帅 list
with who stays, joins and leaves and why, the commended (通报表彰: grades 一级 and 二级),
the supervisory bonus points (R14), the 约谈 list (R15), the institutions not ranked and
why, the district race (R16), and the facts that make it reproducible (run id, method
and data fingerprints). Every figure is read from the run.

The layout follows 党政机关公文格式 GB/T 9704-2012: A4 with the standard type area (top margin
37 mm, left 28 mm, 156 × 225 mm text), the title in 方正小标宋简体 二号 (22 pt), the body in
仿宋_GB2312 三号 (16 pt) on a fixed 28-point line, first-level headings in 黑体 and second-level
in 楷体_GB2312, page numbers "— 1 —" in 宋体 四号 (odd pages right, even pages left), the
issuing agencies and the date at the end (date four characters from the right edge), a
note (附注) and the annex on its own page. The fonts are named in the document; a machine
without them substitutes (the tests map them to Noto CJK for rendering only).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from scoring.evaluation import GROUP_LABELS
from scoring.evaluation import Result
from scoring.export import neutralise
from scoring.runs import load_run

TITLE_FONT = "方正小标宋简体"  # GB/T 9704 7.3.3: title in 2号小标宋
BODY_FONT = "仿宋_GB2312"  # 7.3.4 ff.: body in 3号仿宋
HEADING_FONT = "黑体"  # first-level headings (一、)
SUBHEADING_FONT = "楷体_GB2312"  # second-level headings (（一）)
PAGE_NUMBER_FONT = "宋体"  # 7.5: page numbers in 4号半角宋体
LATIN_FONT = "Times New Roman"
TITLE_PT, BODY_PT, TABLE_PT, PAGE_NUMBER_PT = 22, 16, 12, 14  # 二号, 三号, 小四, 四号
LINE_PT = 28  # fixed line spacing: 22 lines on the 225 mm type area
CHAR_PT = BODY_PT  # one character of body text, for indents
TEXT_WIDTH_CM = 15.6  # A4 less the margins below (版心 156 mm)
COMMENDED_BANDS = 2  # 通报表彰: the method's top two grade bands (R15)
CHAPTERS = ("一", "二", "三", "四", "五", "六", "七", "八")
ISSUERS = ("重庆市经济和信息化委员会", "中共重庆市委金融委员会办公室", "重庆市财政局", "中国人民银行重庆市分行",
           "国家金融监督管理总局重庆监管局")


def write_report(con: duckdb.DuckDBPyConnection, run_id: str, out: Path) -> Path:
    """The 通报 draft of run `run_id` as .docx at `out`; returns the path."""
    run = load_run(con, run_id)
    doc = _document()
    _title(doc, run)
    sections = [_results, _selection, _commended, _bonus, _interview, _unranked, _district_race]
    for number, section in zip(CHAPTERS, sections):
        section(doc, run, number)
    _requirements(doc, run, CHAPTERS[len(sections)])
    _signature(doc, run)
    _facts(doc, run)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(out)
    return out


# -- the sections ---------------------------------------------------------------------------

def _title(doc, run: Result) -> None:
    status = "" if run.published else "（草稿）"
    facts = run.run
    if facts is not None and facts.superseded_by:  # issue 15 §4: the notice cites the final run
        status = f"（已被更正评价 {facts.superseded_by} 取代，以其为准）"
    elif facts is not None and facts.supersedes:
        status = "（更正）"
    title = _paragraph(doc, f"关于{run.year}年度“技改专项贷”金融机构综合评价及区县赛马情况的通报{status}",
                       size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    title.paragraph_format.line_spacing = Pt(35)  # a two-line title sits on a wider line than the body
    title.paragraph_format.space_after = Pt(LINE_PT)  # one blank line before the addressees (7.3.4)
    _paragraph(doc, "各区县（自治县）经济信息、财政、金融工作管理部门，两江新区、西部科学城重庆高新区、万盛经开区有关部门，"
                    "人民银行各二级分行，国家金融监督管理总局重庆各监管分局，各有关金融机构：")
    counts = run.institutions.groupby("peer_group").size()
    _paragraph(doc, (
        f"根据《重庆市迭代优化“技改专项贷”二十条政策措施（2024—2027年）》（渝经信规范〔2024〕11号）第十六、十八、十九条，"
        f"按照《{run.method.name}》（版本 {run.method.version}），对 {counts.get('bank', 0)} 家银行业金融机构、"
        f"{counts.get('leasing', 0)} 家融资租赁机构开展了{run.year}年度“技改专项贷”综合评价，并对全市 "
        f"{len(run.districts)} 个区县（含功能区）开展赛马评价。现将有关情况通报如下。"), indent=True)


def _results(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、综合评价结果")
    for group, label in GROUP_LABELS.items():
        ranked = _group(run, group).dropna(subset=["rank"])
        _subheading(doc, f"（{CHAPTERS[list(GROUP_LABELS).index(group)]}）{label}",
                    f"共 {len(ranked)} 家参与排名，按综合得分（满分 100 分）排序如下：")
        _table(doc, ["名次", "机构名称", "综合得分", "等级", "名次区间（5%–95%）"], [
            [r.rank, r.name, _score(r.score), r.grade, f"{r.rank_p05}–{r.rank_p95}"] for r in ranked.itertuples()
        ], widths=[1, 5, 1.6, 1.2, 2.2])


def _selection(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、{run.year + 1}年度“技改专项贷”合作机构名单（揭榜挂帅）")
    selection, line = run.method.selection, run.method.lines.qualifying
    _paragraph(doc, (f"按照综合评价结果，每组按得分选取符合遴选资格的前 k 家机构（k 为达到合格线 {line:g} 分的机构数，"
                     f"不少于 {selection.k_min} 家、不多于 {selection.k_max} 家），作为{run.year + 1}年度“技改专项贷”合作机构，"
                     "并与本年度合作机构名单比较，列明保留、新进与退出情况。"), indent=True)
    for group, label in GROUP_LABELS.items():
        table = _group(run, group)
        selected = table[table["selected"]]
        leaving = table[table["change"] == "leaves"]
        _subheading(doc, f"（{CHAPTERS[list(GROUP_LABELS).index(group)]}）{label}",
                    f"入选 {len(selected)} 家，退出 {len(leaving)} 家：")
        rows = [[r.rank, r.name, _score(r.score), r.change_label, r.selection_reason] for r in selected.itertuples()]
        rows += [["—", r.name, _score(r.score), r.change_label, r.selection_reason] for r in leaving.itertuples()]
        _table(doc, ["名次", "机构名称", "综合得分", "变动", "说明"], rows, widths=[1, 4.4, 1.6, 1.1, 4.6])


def _commended(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、通报表彰")
    grades = [label for label, _ in run.method.lines.grades[:COMMENDED_BANDS]]
    commended = run.institutions[run.institutions["grade"].isin(grades)]
    if commended.empty:
        _paragraph(doc, f"本年度无综合评价等级达到{'、'.join(grades)}的机构。", indent=True)
        return
    _paragraph(doc, (f"对综合评价等级为{'、'.join(grades)}的以下 {len(commended)} 家机构予以通报表彰，"
                     "并优先兑现其发放的“技改专项贷”贷款贴息："), indent=True)
    _table(doc, ["类别", "机构名称", "综合得分", "等级"], [
        [GROUP_LABELS[r.peer_group], r.name, _score(r.score), r.grade] for r in commended.itertuples()
    ], widths=[2.6, 5, 1.6, 1.2])


def _bonus(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、监管评价加分")
    awarded = run.institutions[run.institutions["bonus"] > 0]
    b = run.method.bonus
    _paragraph(doc, ("按照第十六条，将“技改专项贷”推进情况作为单独加分项纳入《重庆市银行业服务制造业监管评价办法》，"
                     f"加分 = {b.points:g} ×（综合得分 − {b.start:g}）÷ {b.full - b.start:g}，最低 0 分、最高 {b.points:g} 分，"
                     f"保留 {b.decimals} 位小数。本年度获得加分的机构如下："), indent=True)
    _table(doc, ["类别", "机构名称", "综合得分", "加分"], [
        [GROUP_LABELS[r.peer_group], r.name, _score(r.score), f"{r.bonus:.{b.decimals}f}"] for r in awarded.itertuples()
    ], widths=[2.6, 5, 1.6, 1.2])


def _interview(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、约谈名单")
    listed = run.institutions[run.institutions["interview"]]
    rule = run.method.interview
    grades = "或".join(rule.grades)
    _paragraph(doc, (f"综合评价等级为{grades}，或“3个1”限时办结达标率低于 {100 * rule.compliance_below:g}% 的机构，"
                     f"列入约谈名单（共 {len(listed)} 家），"
                     "由人民银行重庆市分行、金融监管总局重庆监管局会同市经济信息委约谈："), indent=True)
    _table(doc, ["类别", "机构名称", "综合得分", "约谈原因"], [
        [GROUP_LABELS[r.peer_group], r.name, _score(r.score), r.interview_reason] for r in listed.itertuples()
    ], widths=[2.2, 3.6, 1.4, 7.2])


def _unranked(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、未参与排名的机构")
    unranked = run.institutions[run.institutions["status"] != "scored"]
    _paragraph(doc, f"以下 {len(unranked)} 家机构本年度列示但不参与排名：", indent=True)
    _table(doc, ["类别", "机构名称", "情形", "说明"], [
        [GROUP_LABELS[r.peer_group], r.name, r.status_label, r.reason] for r in unranked.itertuples()
    ], widths=[2.6, 4, 2, 6])


def _district_race(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、区县赛马情况")
    _paragraph(doc, ("按照第十九条，从“技改专项贷”投放规模及增长、重点技改项目储备库入库及融资对接、"
                     "“3个1”限时办结情况对各区县（含功能区）赛马排名如下："), indent=True)
    _table(doc, ["名次", "区县", "得分", "获贷金额（亿元）", "同比增长", "新入库项目（个）", "融资对接率", "“3个1”达标率"], [
        [r.rank, r.name, _score(r.score), f"{r.D1_raw / 1e8:.2f}", _percent(r.D2_raw), r.D3_raw,
         _percent(r.D4_raw), _percent(r.D5_raw)]
        for r in run.districts.itertuples()
    ], widths=[1, 2.6, 1.3, 1.8, 1.5, 1.6, 1.5, 1.6], size=10.5)


def _requirements(doc, run: Result, number: str) -> None:
    _heading(doc, f"{number}、有关要求")
    _paragraph(doc, ("各合作机构要对照“3个1”限时办结要求优化审批流程，用好再贷款政策工具，加大对重点制造业企业的利率优惠；"
                     "列入约谈名单的机构要于通报印发后一个月内报送整改方案；各区县要加强重点技改项目储备库建设，"
                     "推动入库项目与金融机构融资对接，提升政策落实成效。"), indent=True)


def _signature(doc, run: Result) -> None:
    """附件 line, the agencies and the date (7.3.5): the date four characters from the right edge,
    the agencies centred over it; then the note (附注) two characters in from the left."""
    annex = _paragraph(doc, "附件：评价依据与可复现信息", indent=True)
    annex.paragraph_format.space_before = Pt(LINE_PT)
    annex.paragraph_format.keep_with_next = True  # the signature block is never split over two pages
    day = run.run.published_at or datetime.now()
    date_text = f"{day.year}年{day.month}月{day.day}日"
    date_width = len(date_text) - sum(ch.isdigit() for ch in date_text) / 2  # digits are half-width
    for i, issuer in enumerate(ISSUERS):
        centred = _paragraph(doc, issuer, align=WD_ALIGN_PARAGRAPH.RIGHT)
        # centre over the date: right indent = 4 characters + half of (date − agency) widths
        centred.paragraph_format.right_indent = Pt(CHAR_PT * max(0.0, 4 + (date_width - len(issuer)) / 2))
        centred.paragraph_format.keep_with_next = True
        if i == 0:
            centred.paragraph_format.space_before = Pt(2 * LINE_PT)  # 空二行 before the signature
    dated = _paragraph(doc, date_text, align=WD_ALIGN_PARAGRAPH.RIGHT)
    dated.paragraph_format.right_indent = Pt(4 * CHAR_PT)
    dated.paragraph_format.keep_with_next = True
    _paragraph(doc, "（此件为评价系统生成的通报草稿，印发前请核对）", indent=True)


def _facts(doc, run: Result) -> None:
    """The annex on its own page: 附件 in 黑体 at the top left, its title like the notice's."""
    doc.add_page_break()
    _paragraph(doc, "附件", font=HEADING_FONT)
    _paragraph(doc, "评价依据与可复现信息", size=TITLE_PT, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER)
    _table(doc, ["项目", "内容"], [
        ["评价运行编号", run.run_id],
        ["评价办法", f"{run.method.name}（{run.method.id}，版本 {run.method.version}）"],
        ["评价办法 SHA-256", run.method.sha256],
        ["政策参数 SHA-256", run.policy.sha256 if run.policy else "未记录"],
        ["数据指纹 SHA-256", run.run.data_sha256],
        ["“3个1”观察日", str(run.as_of)],
        ["稳健性检验", f"{run.draws} 次权重与标准化方法扰动重算（随机种子 {run.seed}）"],
        ["发布状态", f"已于 {run.run.published_at:%Y-%m-%d} 发布" if run.published else "未发布（草稿）"],
        *([["更正说明", f"本运行取代评价运行 {run.run.supersedes}：{run.run.correction_reason}"]] if run.run.supersedes else []),
        *([["取代情况", f"已被更正评价 {run.run.superseded_by} 取代"]] if run.run.superseded_by else []),
    ], widths=[1, 3.4])


# -- building blocks ------------------------------------------------------------------------

def _document():
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)  # A4 (GB/T 9704 5.2.1)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)  # 天头 37 mm, 版心 225 mm high
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)  # 订口 28 mm, 版心 156 mm wide
    section.footer_distance = Cm(2.3)  # page number about 7 mm below the type area
    normal = doc.styles["Normal"]
    normal.font.size = Pt(BODY_PT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(LINE_PT)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    _page_numbers(doc)
    return doc


def _page_numbers(doc) -> None:
    """"— 1 —" in 4号宋体, one character in from the outer edge: odd pages right, even pages left (7.5)."""
    doc.settings.odd_and_even_pages_header_footer = True
    section = doc.sections[0]
    for footer, align, indent in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right_indent"),
                                  (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left_indent")):
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        setattr(paragraph.paragraph_format, indent, Pt(PAGE_NUMBER_PT))
        paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        for piece in ("— ", None, " —"):
            run = paragraph.add_run(piece or "")
            run.font.size = Pt(PAGE_NUMBER_PT)
            _fonts(run._element.get_or_add_rPr(), PAGE_NUMBER_FONT, latin=PAGE_NUMBER_FONT)
            if piece is None:
                _page_field(run)


def _page_field(run) -> None:
    """A PAGE field in `run` (Word and LibreOffice fill in the page number)."""
    begin, text, end = OxmlElement("w:fldChar"), OxmlElement("w:instrText"), OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    text.set(qn("xml:space"), "preserve")
    text.text = " PAGE "
    end.set(qn("w:fldCharType"), "end")
    for element in (begin, text, end):
        run._element.append(element)


def _fonts(rpr, east_asian: str, latin: str = LATIN_FONT) -> None:
    """Latin and East-Asian fonts of a run or style (python-docx sets only the Latin one)."""
    fonts = rpr.get_or_add_rFonts()
    for slot in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(slot), latin)
    fonts.set(qn("w:eastAsia"), east_asian)


def _paragraph(doc, text: str, size: float | None = None, bold: bool = False, font: str | None = None,
               align=None, indent: bool = False):
    paragraph = doc.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if font:
        _fonts(run._element.get_or_add_rPr(), font)
    if align is not None:
        paragraph.alignment = align
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * CHAR_PT)  # 段首空二字
    return paragraph


def _heading(doc, text: str) -> None:
    """A first-level heading (一、…): 黑体, two characters in, like a body paragraph (7.3.4)."""
    _paragraph(doc, text, font=HEADING_FONT, indent=True).paragraph_format.keep_with_next = True


def _subheading(doc, heading: str, text: str) -> None:
    """A second-level heading (（一）…) in 楷体 run into its paragraph, as GB/T 9704 sets them."""
    paragraph = _paragraph(doc, "", indent=True)
    paragraph.runs[0].text = heading + "。"
    _fonts(paragraph.runs[0]._element.get_or_add_rPr(), SUBHEADING_FONT)
    paragraph.add_run(text)
    paragraph.paragraph_format.keep_with_next = True


def _table(doc, header: list[str], rows: list[list], widths: list[float], size: float = TABLE_PT) -> None:
    """A grid table; `widths` are the columns' relative widths across the text width."""
    if not rows:
        _paragraph(doc, "（无）", indent=True)
        return
    table = doc.add_table(rows=1 + len(rows), cols=len(header))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    column_widths = [Cm(TEXT_WIDTH_CM * w / sum(widths)) for w in widths]
    for column, width in zip(table.columns, column_widths):
        column.width = width
    for r, (row, values) in enumerate(zip(table.rows, [header, *rows])):
        for cell, width, value in zip(row.cells, column_widths, values):  # row.cells once: table.cell() rescans
            cell.width = width  # Word reads the cell widths, LibreOffice the grid
            cell.text = "" if _blank(value) else neutralise(str(value))  # cells get copied into Excel
            cell.paragraphs[0].paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # tables: not the 28 pt line
            for run in cell.paragraphs[0].runs:
                run.font.size = Pt(size)
                run.bold = r == 0
                if r == 0:
                    _fonts(run._element.get_or_add_rPr(), HEADING_FONT)
    for row in table.rows[:1]:  # the header row repeats on every page the table runs over
        row._tr.get_or_add_trPr().append(_repeat_header())
    doc.add_paragraph()


def _repeat_header():
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    return element


def _group(run: Result, group: str) -> pd.DataFrame:
    return run.institutions[run.institutions["peer_group"] == group]


def _blank(value) -> bool:
    return value is None or (not isinstance(value, str) and pd.isna(value))


def _score(value) -> str:
    return "—" if _blank(value) else f"{value:.2f}"


def _percent(value) -> str:
    return "—" if _blank(value) else f"{100 * value:.1f}%"
