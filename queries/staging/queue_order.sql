-- R7 (十三 先付后贴, 十九 优先兑现): every interest-subsidy claim of $year over all rows in payment
-- order — payments on loans of the year's cooperating institutions first, then by paid_on, then by
-- payment_id — with its place (queue_no) and what the claims before it add up to (ahead_fen). It
-- does not depend on a budget or a city share, so it is kept with the year's subsidy items
-- (scoring.subsidy.SHARED) and a page's budget only walks it (subsidy/queue). Only what the
-- order needs: the reader takes the payment's loan, enterprise, institution and district from
-- scoped_payments, which it joins anyway for the scope (the keys as text made writing the kept
-- order 2.5 s a year at a million loans).
with claims as (
    select
        p.payment_id, p.paid_on, p.subsidy_fen,
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
)

select * from ordered
