"""The import contract of ../shared/spec/DATA.md as data.

`queries/schema/10_reported.sql` holds the tables; this module holds what the SQL
cannot say in a form the importer, the templates and the error messages can use:
each column's kind, whether it is required, its allowed values, what it refers to,
and its Chinese description. `tests/test_contract.py` checks the two agree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # text, date, money, rate, bool, int, list, credit_code
    label: str  # Chinese description shown in templates and error messages
    required: bool = False
    values: tuple[str, ...] = ()  # allowed values (enum) or allowed list items
    ref: str | None = None  # "table.column" this value must exist in
    default: str | None = None  # what an empty cell means


@dataclass(frozen=True)
class Table:
    name: str
    label: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)


C = Column
DATE_RULES = (
    # (table, later column, earlier column, message): impossible dates (DATA.md)
    ("applications", "connected_on", "registered_on", "对接日期早于登记日期"),
    ("applications", "decided_on", "connected_on", "审批决定日期早于对接日期"),
    ("applications", "disbursed_on", "decided_on", "放款日期早于审批决定日期"),
    ("loans", "disbursed_on", "signed_on", "放款日期早于签约日期"),
    ("loans", "maturity_on", "signed_on", "到期日期早于签约日期"),
    ("interest_payments", "period_end", "period_start", "计息期结束早于开始"),
)

# Peer tiers (同类机构): volume and reach are judged against the tier's own scale (METHOD notes in README).
TIER_LABELS = {
    "big": "国有大行", "joint": "股份制银行", "local": "城商行、农商行、民营银行", "village": "村镇银行",
    "policy": "政策性、开发性银行", "financial_leasing": "金融租赁公司", "leasing": "融资租赁公司",
}
TIERS = tuple(TIER_LABELS)
TAGS = ("unicorn", "potential_unicorn", "gazelle", "specialized", "little_giant", "whitelist")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("institutions", "金融机构", (
            C("inst_id", "text", "机构编号", True),
            C("name", "text", "机构名称", True),
            C("kind", "text", "机构类型（bank 银行 / leasing 融资租赁 / guarantee 担保 / insurer 保险）", True,
              ("bank", "leasing", "guarantee", "insurer")),
            C("local_legal_person", "bool", "是否地方法人机构", default="false"),
            C("paid_in_capital", "money", "实缴资本（元）"),
            C("tier", "text", "同类机构类别（big 国有大行 / joint 股份制 / local 城商农商 / village 村镇 / policy 政策性 / "
              "financial_leasing 金融租赁 / leasing 融资租赁；可空）", values=TIERS),
        ), ("inst_id",)),
        Table("districts", "区县", (
            C("district_code", "text", "区县代码", True),
            C("name", "text", "区县名称", True),
            C("category", "text", "类别（区 / 县 / 自治县 / 功能区）", True, ("区", "县", "自治县", "功能区")),
        ), ("district_code",)),
        Table("enterprises", "企业", (
            C("ent_id", "credit_code", "统一社会信用代码（18位）", True),
            C("name", "text", "企业名称", True),
            C("district_code", "text", "所在区县代码", True, ref="districts.district_code"),
            C("size", "text", "企业规模（large 大型 / medium 中型 / small 小型 / micro 微型）", True,
              ("large", "medium", "small", "micro")),
            C("ownership", "text", "所有制（state 国有 / private 民营 / foreign 外资 / other 其他）", True,
              ("state", "private", "foreign", "other")),
            C("manufacturing", "bool", "是否制造业企业", True),
            C("agricultural", "bool", "是否涉农企业", default="false"),
            C("tags", "list", "企业标签（分号分隔：独角兽、潜在独角兽、瞪羚、专精特新、小巨人、白名单）", values=TAGS),
        ), ("ent_id",)),
        Table("projects", "技改项目", (
            C("project_id", "text", "项目编号", True),
            C("ent_id", "text", "企业统一社会信用代码", True, ref="enterprises.ent_id"),
            C("district_code", "text", "项目所在区县代码", True, ref="districts.district_code"),
            C("filing_no", "text", "技改备案号"),
            C("filed_on", "date", "备案日期"),
            C("pooled_on", "date", "入库日期（重点技改项目储备库）"),
            C("total_investment", "money", "项目总投资（元）", True),
            C("land_cost", "money", "其中土地费用（元）", default="0"),
            C("green", "bool", "是否绿色项目", default="false"),
            C("equipment_only", "bool", "是否纯设备购置", default="false"),
            C("category", "text", "项目类别（smart 智能化 / green 绿色化 / digital 数字化 / other 其他）",
              values=("smart", "green", "digital", "other")),
        ), ("project_id",)),
        Table("applications", "融资申请", (
            C("app_id", "text", "申请编号", True),
            C("ent_id", "text", "企业统一社会信用代码", True, ref="enterprises.ent_id"),
            C("project_id", "text", "项目编号", ref="projects.project_id"),
            C("inst_id", "text", "受理机构编号", True, ref="institutions.inst_id"),
            C("channel", "text", "对接渠道"),
            C("registered_on", "date", "需求登记日期", True),
            C("connected_on", "date", "对接日期"),
            C("decision", "text", "审批结果（approved 通过 / rejected 否决 / withdrawn 撤回 / pending 审批中）",
              values=("approved", "rejected", "withdrawn", "pending")),
            C("decided_on", "date", "审批决定日期"),
            C("disbursed_on", "date", "放款日期"),
            C("simplified_review", "bool", "是否以简要评价意见替代评估报告", default="false"),
        ), ("app_id",)),
        Table("loans", "技改专项贷", (
            C("loan_id", "text", "贷款（租赁）编号", True),
            C("inst_id", "text", "发放机构编号", True, ref="institutions.inst_id"),
            C("ent_id", "text", "企业统一社会信用代码", True, ref="enterprises.ent_id"),
            C("project_id", "text", "项目编号", True, ref="projects.project_id"),
            C("app_id", "text", "申请编号", ref="applications.app_id"),
            C("product_id", "text", "产品编号", ref="products.product_id"),
            C("kind", "text", "类型（loan 贷款 / lease_direct 直租 / lease_direct_back 直转回）", True,
              ("loan", "lease_direct", "lease_direct_back")),
            C("amount", "money", "合同金额（元）", True),
            C("land_amount", "money", "其中用于土地的金额（元）", default="0"),
            C("rate", "rate", "执行年利率（小数，如0.0345）", True),
            C("lpr", "rate", "签约日同期限LPR（小数）", True),
            C("signed_on", "date", "签约日期", True),
            C("disbursed_on", "date", "放款日期"),
            C("maturity_on", "date", "到期日期"),
            C("relending", "text", "再贷款（none 无 / tech 科技创新和技术改造再贷款 / agri_small 支农支小再贷款）",
              values=("none", "tech", "agri_small"), default="none"),
            C("credit_line", "money", "单户授信总额（元）"),
        ), ("loan_id",)),
        Table("interest_payments", "付息记录", (
            C("payment_id", "text", "付息编号", True),
            C("loan_id", "text", "贷款（租赁）编号", True, ref="loans.loan_id"),
            C("period_start", "date", "计息期开始", True),
            C("period_end", "date", "计息期结束", True),
            C("paid_on", "date", "付息日期", True),
            C("interest_paid", "money", "实付利息（租息）（元）", True),
        ), ("payment_id",)),
        Table("guarantees", "担保", (
            C("guarantee_id", "text", "担保编号", True),
            C("loan_id", "text", "贷款编号", True, ref="loans.loan_id"),
            C("guarantor_id", "text", "担保机构编号", True, ref="institutions.inst_id"),
            C("guaranteed_amount", "money", "担保金额（元）", True),
            C("fee_rate", "rate", "年化担保费率（小数）", True),
            C("fee_paid", "money", "实收担保费（元）", True),
            C("paid_on", "date", "缴费日期", True),
        ), ("guarantee_id",)),
        Table("insurance_policies", "保险保单", (
            C("policy_id", "text", "保单编号", True),
            C("ent_id", "text", "投保企业统一社会信用代码", True, ref="enterprises.ent_id"),
            C("project_id", "text", "项目编号", ref="projects.project_id"),
            C("insurer_id", "text", "保险机构编号", ref="institutions.inst_id"),
            C("kind", "text", "险种（first_set_equipment 首台套 / software_first_version 软件首版次 / "
                              "project_cost_loss 技改项目费用损失）", True,
              ("first_set_equipment", "software_first_version", "project_cost_loss")),
            C("product_name", "text", "投保产品名称"),
            C("insured_amount", "money", "保险金额（元）"),
            C("premium", "money", "年度保费（元）", True),
            C("policy_year", "int", "保单年度", True),
        ), ("policy_id",)),
        Table("products", "金融产品", (
            C("product_id", "text", "产品编号", True),
            C("inst_id", "text", "机构编号", True, ref="institutions.inst_id"),
            C("name", "text", "产品名称", True),
            C("category", "text", "产品模式（pre_project_plus_project 前期贷+技改贷 / bank_plus_leasing 银行+金租 / "
                                  "investment_loan_linkage 投贷联动 / supply_chain 上下游协同 / other 其他）", True,
              ("pre_project_plus_project", "bank_plus_leasing", "investment_loan_linkage", "supply_chain", "other")),
            C("launched_on", "date", "推出日期"),
            C("innovative", "bool", "是否入选创新产品库", default="false"),
        ), ("product_id",)),
        Table("cases", "典型案例", (
            C("case_id", "text", "案例编号", True),
            C("inst_id", "text", "机构编号", True, ref="institutions.inst_id"),
            C("title", "text", "案例标题", True),
            C("year", "int", "入选年度", True),
            C("ent_id", "text", "涉及企业统一社会信用代码", ref="enterprises.ent_id"),
            C("summary", "text", "案例摘要"),
        ), ("case_id",)),
        Table("holidays", "节假日安排", (
            C("day", "date", "日期", True),
            C("working", "bool", "是否工作日（调休上班为是，放假为否）", default="false"),
            C("note", "text", "说明（如：春节、国庆节调休）"),
        ), ("day",)),
        Table("cooperation", "合作机构名单", (
            C("year", "int", "合作年度", True),
            C("inst_id", "text", "机构编号", True, ref="institutions.inst_id"),
            C("source", "text", "来源（call 揭榜 / evaluation 综合评价）", values=("call", "evaluation"),
              default="call"),
        ), ("year", "inst_id")),
        Table("flags", "违规与风险事项", (
            C("flag_id", "text", "事项编号", True),
            C("inst_id", "text", "机构编号", True, ref="institutions.inst_id"),
            C("year", "int", "所属年度", True),
            C("kind", "text", "类型（violation 重大违规 / risk_event 风险事件 / data_quality 数据质量）", True,
              ("violation", "risk_event", "data_quality")),
            C("note", "text", "说明"),
        ), ("flag_id",)),
    )
}

# Tables in an order where every reference points backwards (import and demo order).
ORDER = (
    "institutions", "districts", "enterprises", "projects", "products", "applications", "loans",
    "interest_payments", "guarantees", "insurance_policies", "cases", "holidays", "cooperation", "flags",
)
assert sorted(ORDER) == sorted(TABLES)
