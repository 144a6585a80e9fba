-- Who is scored in $year and who may be selected (METHOD.md "Outside the 100"):
-- vetoes (flags of the kinds in $veto_kinds, e.g. violation / risk event, for the year),
-- eligibility for selection
-- (R13, second-round call: leasing paid-in capital by place of registration), and the
-- minimum number of 技改专项贷 in the year. Every bank and leasing company gets a row.
-- At every cut-off of the table cut_offs, off the latest cut-off's 技改专项贷: a loan counts from the day
-- it is signed and filed (counted_on, staging/eval_loans), its disbursement once that falls by the
-- cut-off too; amounts are first summed by those days, so the month ends are one pass over the loans.
with vetoes as (
    select
        inst_id,
        string_agg(
            concat(case kind when 'violation' then '重大违规' when 'risk_event' then '风险事件' else '数据质量问题' end,
                   coalesce(concat('（', note, '）'), '')),
            '；' order by flag_id
        ) as veto_facts
    from flags
    where year = $year and array_contains($veto_kinds, kind)
    group by inst_id
),

lent_days as (
    select inst_id, greatest(counted_on, disbursed_on) as lent_on, count(*) as loans
    from eval_loans
    where disbursed_year = $year
    group by inst_id, greatest(counted_on, disbursed_on)
),

loans_in_year as (
    select cut_offs.until, lent_days.inst_id, cast(sum(lent_days.loans) as bigint) as loans
    from cut_offs
    join lent_days on lent_days.lent_on <= cut_offs.until
    group by cut_offs.until, lent_days.inst_id
),

capital_rule as (
    select
        cut_offs.until,
        roster.*,
        case when local_legal_person then $leasing_local_min_capital
             else $leasing_other_min_capital end as min_capital
    from cut_offs
    cross join roster
),

judged as (
    select
        capital_rule.until,
        capital_rule.inst_id,
        capital_rule.name,
        capital_rule.peer_group,
        capital_rule.tier,
        capital_rule.local_legal_person,
        capital_rule.paid_in_capital,
        coalesce(loans_in_year.loans, 0) as loans_in_year,
        vetoes.veto_facts,
        peer_group = 'bank' or coalesce(paid_in_capital, 0) >= min_capital as eligible,
        -- amounts in 亿元 as an official writes them: 2, 1.5, 20
        trim(trailing '.' from trim(trailing '0' from
            cast(cast(min_capital / 100000000 as decimal(18, 2)) as varchar))) as min_capital_yi,
        trim(trailing '.' from trim(trailing '0' from
            cast(cast(paid_in_capital / 100000000 as decimal(18, 2)) as varchar))) as paid_in_capital_yi
    from capital_rule
    left join vetoes on vetoes.inst_id = capital_rule.inst_id
    left join loans_in_year
        on loans_in_year.until = capital_rule.until and loans_in_year.inst_id = capital_rule.inst_id
)

select
    until,
    inst_id,
    name,
    peer_group,
    tier,
    loans_in_year,
    case
        when veto_facts is not null then 'vetoed'
        when loans_in_year < $min_loans then 'insufficient_data'
        else 'scored'
    end as status,
    case
        when veto_facts is not null
            then concat('一票否决：', veto_facts, '，本年度不参与排名、不得入选')
        when loans_in_year = 0
            then '本年度无技改专项贷发放，列示但不评分'
        when loans_in_year < $min_loans
            then concat('本年度技改专项贷仅', cast(loans_in_year as varchar), '笔，少于最低',
                        cast($min_loans as varchar), '笔，列示但不评分')
        else ''
    end as reason,
    eligible,
    case
        when eligible then ''
        when paid_in_capital is null
            then '未报送实缴资本，无法认定融资租赁公司遴选资格'
        else concat(
            case when local_legal_person then '注册地在重庆' else '注册地不在重庆' end,
            '的融资租赁公司实缴资本须不低于', min_capital_yi, '亿元（现为', paid_in_capital_yi,
            '亿元），不符合遴选资格')
    end as eligibility_reason
from judged
order by until, peer_group, inst_id
