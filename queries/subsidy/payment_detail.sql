-- R1–R4: every interest payment of $year with its eligibility, its subsidy before the
-- project's annual cap and its share after it, within the scope (scoped_payments).
-- in stored order of: payment_subsidies
-- Read from a table that keeps the payments (in that order, staging/payment_subsidies), the query
-- runs without its `order by`: scoped_payments selects from one table, which keeps the order it
-- reads. A join would not, so the reason's text is looked up in the policy's two lists
-- ($reason_codes, $reason_texts: scoring.policy's subsidy parameters).
select
    p.payment_id, p.loan_id, p.project_id, p.ent_id, p.inst_id, p.district_code, p.kind,
    p.paid_on, p.interest_paid, p.amount, p.land_amount, p.rate,
    p.reason is null as eligible,
    case when p.reason is null then p.basis end as basis,
    p.reason,
    list_extract($reason_texts, list_position($reason_codes, p.reason)) as reason_text,
    cast(cast(p.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(p.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    p.subsidy_fen < p.uncapped_fen as capped
from scoped_payments as p
order by paid_on, payment_id
