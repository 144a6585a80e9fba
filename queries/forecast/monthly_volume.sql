-- 技改专项贷 disbursed per month (eval_loans, the basis of V1 and D1, as the book stood at $until),
-- per institution and per district of the borrowing enterprise, for $year and every earlier year:
-- the current year's months are the pace so far, earlier years' months the seasonality.
with disbursed as (
    select inst_id, ent_district_code, disbursed_year as year, month(disbursed_on) as month, amount
    from eval_loans
    where disbursed_year <= $year
)

select 'institution' as subject, inst_id as subject_id, year, month, sum(amount) as amount
from disbursed
group by inst_id, year, month

union all

select 'district' as subject, ent_district_code as subject_id, year, month, sum(amount) as amount
from disbursed
group by ent_district_code, year, month
