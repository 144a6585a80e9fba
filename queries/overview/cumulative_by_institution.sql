-- The horse race on volume: each bank's and leasing company's cumulative 技改专项贷 disbursed
-- (eval_loans, the basis of V1, to the cut-off $until),
-- month by month through one year (every institution in every month, zero until its first loan),
-- and its place in its peer group that month (ties: the smaller inst_id first).
with months as (
    select distinct date_trunc('month', day) as month
    from calendar
    where year(day) = $year
),

racers as (
    -- every bank and leasing company the user may name, lending or not (an institution
    -- user: itself; a district official: those that lent to or served its firms)
    select inst_id, name, peer_group
    from scoped_roster
),

per_month as (
    select
        inst_id,
        date_trunc('month', disbursed_on) as month,
        sum(amount) as amount,
        count(*) as loans
    from scoped_eval_loans
    where disbursed_year = $year
    group by inst_id, month
),

grid as (
    select
        racers.inst_id,
        racers.name,
        racers.peer_group,
        months.month,
        coalesce(per_month.amount, 0) as amount,
        coalesce(per_month.loans, 0) as loans
    from racers
    cross join months
    left join per_month on per_month.inst_id = racers.inst_id and per_month.month = months.month
),

running as (
    select
        *,
        sum(amount) over (partition by inst_id order by month rows between unbounded preceding and current row)
            as cumulative_amount
    from grid
)

select
    *,
    row_number() over (partition by month, peer_group order by cumulative_amount desc, inst_id) as race_position
from running
order by month, peer_group, race_position
