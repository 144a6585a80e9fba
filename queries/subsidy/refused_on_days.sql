-- R1: the interest payments of $year paid after $since up to $until that are refused, within the
-- scope, with the reason in words (the daily digest's list). A payment is judged on its own and a
-- refused one gets no subsidy, so no cap can change this list: it is read off the judged payments of
-- those days (scoped_judged_payments), without the year's subsidies. The same rows as
-- subsidy/refused over those days (tests/test_dashboard_views.py).
select
    p.payment_id, p.loan_id, p.project_id, p.ent_id, p.inst_id, p.district_code,
    p.paid_on, p.interest_paid, p.reason, r.label as reason_text
from scoped_judged_payments as p
left join labels as r on r.code = p.reason
where p.reason is not null
  and p.paid_on > $since
  and p.paid_on <= $until
order by p.paid_on, p.payment_id
