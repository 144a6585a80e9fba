-- R7 (十三 先付后贴, 十九 优先兑现, 市区共担): the interest-subsidy claims of $year in
-- payment order — payments on loans of the year's cooperating institutions first, then
-- by paid_on, then by payment_id — paid from the budget while it lasts. The order is
-- over all claims; the scope (scoped_payments) only filters the rows returned.
with claims as (
    select
        p.payment_id, p.loan_id, p.project_id, p.ent_id, p.inst_id, p.district_code, p.kind,
        p.paid_on, p.subsidy_fen,
        c.inst_id is not null as cooperating
    from payment_subsidies as p
    left join cooperation as c on c.inst_id = p.inst_id and c.year = $year
    where p.subsidy_fen > 0
),

-- The running totals in two steps, so that no window spans every claim (a single task on
-- a cluster): within each (cooperating, paid_on) day, plus what the earlier days queued
-- (one row per day: a small window).
days as (
    select cooperating, paid_on, count(*) as day_claims, sum(subsidy_fen) as day_fen
    from claims
    group by cooperating, paid_on
),

earlier_days as (
    select
        cooperating, paid_on,
        cast(sum(day_claims) over (
            order by cooperating desc, paid_on rows between unbounded preceding and current row
        ) - day_claims as bigint) as claims_before,
        sum(day_fen) over (
            order by cooperating desc, paid_on rows between unbounded preceding and current row
        ) - day_fen as fen_before
    from days
),

ordered as (
    select
        c.*,
        d.claims_before + row_number() over (
            partition by c.cooperating, c.paid_on order by c.payment_id
        ) as queue_no,
        d.fen_before + sum(c.subsidy_fen) over (
            partition by c.cooperating, c.paid_on order by c.payment_id
            rows between unbounded preceding and current row
        ) - c.subsidy_fen as ahead_fen
    from claims as c
    join earlier_days as d on d.cooperating = c.cooperating and d.paid_on = c.paid_on
),

paid as (
    select
        *,
        case
            when cast($budget_fen as hugeint) is null then subsidy_fen
            else greatest(cast(0 as hugeint), least(subsidy_fen, cast($budget_fen as hugeint) - ahead_fen))
        end as paid_fen,
        -- the city part, half-up to the fen; the district pays the rest
        (2 * subsidy_fen * $city_share_num + $city_share_den) // nullif(2 * $city_share_den, 0) as city_fen
    from ordered
),

statused as (
    select
        *,
        case when paid_fen = subsidy_fen then 'paid' when paid_fen > 0 then 'partial' else 'waiting' end as status
    from paid
)

select
    q.queue_no, q.payment_id, q.loan_id, q.project_id, q.ent_id, q.inst_id, q.district_code,
    q.kind, q.paid_on, q.cooperating,
    cast(cast(q.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    cast(cast(q.city_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as city_part,
    cast(cast(q.subsidy_fen - q.city_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as district_part,
    cast(cast(q.ahead_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as ahead,
    cast(cast(q.paid_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as paid,
    q.status, r.label as status_text
from statused as q
join scoped_payments as mine on mine.payment_id = q.payment_id
left join labels as r on r.code = q.status
order by q.queue_no
