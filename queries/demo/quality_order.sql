-- Demo data-quality problems (Q3): B15 dates a few 2026 contracts three days before the approval.
update loans
set signed_on = a.decided_on - interval 3 day
from applications as a, projects as p
where a.app_id = loans.app_id
  and p.project_id = loans.project_id
  and loans.inst_id = 'B15'
  and cast(right(loans.loan_id, 2) as integer) % 20 = 3
  and a.decided_on >= date '2026-01-10'
  and (p.filed_on is null or p.filed_on <= a.decided_on - interval 3 day)
