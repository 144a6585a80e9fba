-- Month by month in one year to the cut-off $until, for the user's scope, on the basis named
-- 技改专项贷 (eval_loans, as the evaluation counts V1 and D1): amount disbursed, its running
-- total, loans, enterprises, amount-weighted rate and LPR of bank loans. Every month is present.
with months as (
    select distinct date_trunc('month', day) as month
    from calendar
    where year(day) = $year
),

scoped as (
    select date_trunc('month', disbursed_on) as month, ent_id, amount, rate, lpr, kind
    from scoped_eval_loans
    where disbursed_year = $year
),

per_month as (
    select
        month,
        sum(amount) as amount,
        count(*) as loans,
        count(distinct ent_id) as enterprises,
        -- rate vs LPR for bank loans: lease rents are not priced against the LPR
        sum(case when kind = 'loan' then cast(amount as decimal(38, 2)) * rate end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_rate,
        sum(case when kind = 'loan' then cast(amount as decimal(38, 2)) * lpr end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_lpr
    from scoped
    group by month
),

filled as (
    select
        months.month,
        coalesce(per_month.amount, 0) as amount,
        coalesce(per_month.loans, 0) as loans,
        coalesce(per_month.enterprises, 0) as enterprises,
        per_month.mean_rate,
        per_month.mean_lpr
    from months
    left join per_month on per_month.month = months.month
)

select
    *,
    sum(amount) over (order by month rows between unbounded preceding and current row) as cumulative_amount
from filled
order by month
