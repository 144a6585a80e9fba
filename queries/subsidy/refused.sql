-- R1: the interest payments of $year that are refused, paid after $since up to $until, within
-- the scope (scoped_payments), with the reason in words: the daily digest's list, read without
-- the year's other payments.
select
    p.payment_id, p.loan_id, p.project_id, p.inst_id, p.district_code,
    p.paid_on, p.interest_paid, p.reason, r.label as reason_text
from scoped_payments as p
left join labels as r on r.code = p.reason
where p.reason is not null
  and p.paid_on > $since
  and p.paid_on <= $until
order by p.paid_on, p.payment_id
