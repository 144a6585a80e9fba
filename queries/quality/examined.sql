-- The rows each data-quality rule examines per institution in $year (the denominators of the
-- score): loans signed, applications registered, payments paid, quarters with signings.
with loans_of_year as (
    select inst_id, count(*) as loans,
           count(distinct year(signed_on) * 10 + (month(signed_on) + 2) // 3) as quarters,
           count(app_id) as linked
    from scoped_loans where year(signed_on) = $year group by inst_id
),

apps as (
    select inst_id, count(*) as applications from scoped_applications where year(registered_on) = $year group by inst_id
),

pays as (
    select l.inst_id, count(*) as payments
    from interest_payments as p join scoped_loans as l on l.loan_id = p.loan_id
    where year(p.paid_on) = $year group by l.inst_id
)

select
    r.inst_id, r.name, r.peer_group,
    coalesce(l.loans, 0) as loans, coalesce(l.quarters, 0) as quarters, coalesce(l.linked, 0) as linked,
    coalesce(a.applications, 0) as applications, coalesce(p.payments, 0) as payments
from scoped_roster as r
left join loans_of_year as l on l.inst_id = r.inst_id
left join apps as a on a.inst_id = r.inst_id
left join pays as p on p.inst_id = r.inst_id
order by r.inst_id
