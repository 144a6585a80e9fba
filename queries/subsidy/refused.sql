-- R1: the interest payments of $year that are refused, within the scope (scoped_payments), with
-- the reason in words: of one $reason when it is given (the money page's rows under a reason).
select
    p.payment_id, p.loan_id, p.project_id, p.ent_id, p.inst_id, p.district_code,
    p.paid_on, p.interest_paid, p.reason, r.label as reason_text
from scoped_payments as p
left join labels as r on r.code = p.reason
where p.reason is not null
  and ($reason is null or p.reason = $reason)
order by p.paid_on, p.payment_id
