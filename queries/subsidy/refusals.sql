-- R1: the interest payments of $year refused a subsidy, per reason, within the scope
-- (scoped_payments): payments, the loans they are on, and the interest paid on them; the
-- most frequent reason first.
select
    p.reason,
    r.label as reason_text,
    count(*) as payments,
    count(distinct p.loan_id) as loans,
    cast(sum(p.interest_paid) as decimal(18, 2)) as interest
from scoped_payments as p
left join labels as r on r.code = p.reason
where p.reason is not null
group by p.reason, r.label
order by payments desc, p.reason
