-- V1 技改专项贷 amount disbursed in $year up to the cut-off (eval_loans knows no later
-- disbursement), V2 its growth on the same period of $year − 1 (year to date against year
-- to date: 1 January to $until_last_year, the whole of $year − 1 at the year's end), and M1
-- the share of V1 funded by re-lending (R8; agri-small re-lending that breaks R8 does not count).
-- Growth is capped at $growth_cap (+300 % by default), and growth from a zero base counts as
-- the cap: one small base cannot flatten everyone else's min–max score.
-- At every cut-off of the table cut_offs, off the latest cut-off's 技改专项贷: a loan counts from the day
-- it is signed and filed (counted_on, staging/eval_loans), its disbursement once that falls by the
-- cut-off too; amounts are first summed by those days, so the month ends are one pass over the loans.
with lending as (
    select inst_id, disbursed_year, disbursed_on, counted_on, relending_counted, sum(amount) as amount
    from eval_loans
    where disbursed_year in ($year - 1, $year)
    group by inst_id, disbursed_year, disbursed_on, counted_on, relending_counted
),

by_year as (
    select
        cut_offs.until,
        lending.inst_id,
        sum(case when disbursed_year = $year and disbursed_on <= cut_offs.until then amount else 0 end) as amount,
        sum(case when disbursed_year = $year - 1 and disbursed_on <= cut_offs.until_last_year then amount else 0 end)
            as amount_before,
        sum(case when disbursed_year = $year and disbursed_on <= cut_offs.until and relending_counted
            then amount else 0 end) as relending_amount
    from cut_offs
    join lending on lending.counted_on <= cut_offs.until
    group by cut_offs.until, lending.inst_id
),

filled as (
    select
        cut_offs.until,
        roster.inst_id,
        coalesce(by_year.amount, 0) as amount,
        coalesce(by_year.amount_before, 0) as amount_before,
        coalesce(by_year.relending_amount, 0) as relending_amount
    from cut_offs
    cross join roster
    left join by_year on by_year.until = cut_offs.until and by_year.inst_id = roster.inst_id
)

select
    until,
    inst_id,
    amount as V1,
    amount_before as V1_before,
    case
        when amount_before = 0 and amount = 0 then 0
        when amount_before = 0 then $growth_cap
        else least($growth_cap, (amount - amount_before) / amount_before)
    end as V2,
    case when amount = 0 then 0 else relending_amount / amount end as M1
from filled
order by until, inst_id
