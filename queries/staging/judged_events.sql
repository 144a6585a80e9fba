-- R1: is the loan behind each interest payment of $year, and behind each guarantee fee
-- paid up to $year, eligible on the day it was paid? One reason code per refusal: the
-- first failing check, data faults first, then the policy period, the enterprise, the
-- project and the land share. A payment is judged on its paid_on. Not materialised: each
-- reader (staging/judged_payments, subsidy/guarantee_uncapped) keeps only its own events,
-- and the filter on `source` reaches the branch of the union before any join.
with events as (
    select 'payment' as source, payment_id as event_id, loan_id, paid_on, interest_paid as paid
    from interest_payments
    where year(paid_on) = $year
    union all
    select 'guarantee' as source, guarantee_id as event_id, loan_id, paid_on, fee_paid as paid
    from guarantees
    where year(paid_on) <= $year
),

facts as (
    select
        e.source, e.event_id, e.loan_id, e.paid_on, e.paid,
        l.loan_id is not null as loan_known,
        l.inst_id, l.ent_id, l.project_id, l.kind as loan_kind, l.amount, l.land_amount, l.rate,
        coalesce(i.kind, '') as lender_kind,
        p.project_id is not null as project_known,
        p.ent_id as project_ent_id,
        p.filed_on, p.pooled_on,
        p.total_investment - p.land_cost as investment_ex_land,
        coalesce(en.manufacturing, false) as manufacturing,
        coalesce(p.district_code, en.district_code) as district_code
    from events as e
    left join loans as l on l.loan_id = e.loan_id
    left join institutions as i on i.inst_id = l.inst_id
    left join projects as p on p.project_id = l.project_id
    left join enterprises as en on en.ent_id = l.ent_id
)

select
    source, event_id, loan_id, paid_on, paid, inst_id, ent_id, project_id, district_code,
    loan_kind, amount, land_amount, rate,
    case
        when not loan_known then 'unknown_loan'
        when not project_known then 'unknown_project'
        when project_ent_id <> ent_id then 'project_of_other_enterprise'
        when loan_kind = 'loan' and lender_kind <> 'bank' then 'lender_not_bank'
        when loan_kind <> 'loan' and lender_kind <> 'leasing' then 'lender_not_leasing'
        when paid_on < $policy_start or paid_on > $policy_end then 'outside_policy_period'
        when not manufacturing then 'not_manufacturing'
        when filed_on is null then 'not_filed'
        when pooled_on is null or pooled_on > paid_on then 'not_pooled'
        when investment_ex_land < $min_investment then 'below_threshold'
        when land_amount >= amount then 'land_portion'
    end as reason
from facts
