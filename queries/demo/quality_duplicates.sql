-- Demo data-quality problems (Q6): B07 reports two of its 2026 loans twice, under a second id that
-- replaced another loan's row (its interest payments, now on the wrong contract, break Q4 too).
update loans
set ent_id = d.ent_id, project_id = d.project_id, app_id = d.app_id, product_id = d.product_id,
    amount = d.amount, land_amount = d.land_amount, rate = d.rate, lpr = d.lpr, signed_on = d.signed_on,
    disbursed_on = d.disbursed_on, maturity_on = d.maturity_on, relending = d.relending, credit_line = d.credit_line
from (
    select b.loan_id as replaced_id, a.*
    from (select *, row_number() over (order by loan_id) as n from loans
          where inst_id = 'B07' and year(signed_on) = 2026) as a
    join (select loan_id, row_number() over (order by loan_id) as n from loans
          where inst_id = 'B07' and year(signed_on) = 2026) as b on b.n = a.n + 2
    where a.n <= 2
) as d
where loans.loan_id = d.replaced_id
