-- R1: every interest payment of $year as judged (staging/judged_events: its reason, null when
-- eligible), with the loan's amount, land amount and rate and the kind of financing (loan, lease)
-- that R2–R3 read. The one shape of a judged payment: subsidy/payment_uncapped computes the
-- subsidies from it, scoped_judged_payments lets a user read it before any subsidy is computed.
select
    event_id as payment_id, loan_id, inst_id, ent_id, project_id, district_code, paid_on,
    paid as interest_paid, amount, land_amount, rate, reason,
    case when loan_kind = 'loan' then 'loan' when loan_kind is not null then 'lease' end as kind
from judged_events
where source = 'payment'
