-- R1–R4: every interest payment of $year with its eligibility, its subsidy before the
-- project's annual cap and its share after it, within the scope (scoped_payments).
select
    p.payment_id, p.loan_id, p.project_id, p.ent_id, p.inst_id, p.district_code, p.kind,
    p.paid_on, p.interest_paid, p.amount, p.land_amount, p.rate,
    p.reason is null as eligible,
    case when p.reason is null then p.basis end as basis,
    p.reason,
    r.label as reason_text,
    cast(cast(p.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(p.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    p.subsidy_fen < p.uncapped_fen as capped
from scoped_payments as p
left join labels as r on r.code = p.reason
order by p.paid_on, p.payment_id
