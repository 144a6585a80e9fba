-- Demo data-quality problems (Q3): B15 dates a few 2026 contracts three days before the approval.
-- The joins sit in a derived table keyed by loan_id: an UPDATE … FROM over two joined tables made
-- DuckDB 2.0 plan a cross product (minutes at 200,000 loans).
update loans
set signed_on = d.signed_on
from (
    select l.loan_id, a.decided_on - interval 3 day as signed_on
    from loans as l
    join applications as a on a.app_id = l.app_id
    join projects as p on p.project_id = l.project_id
    where l.inst_id = 'B15'
      and cast(right(l.loan_id, 2) as integer) % 20 = 3
      and a.decided_on >= date '2026-01-10'
      and (p.filed_on is null or p.filed_on <= a.decided_on - interval 3 day)
) as d
where loans.loan_id = d.loan_id
