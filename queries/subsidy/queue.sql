-- R7 (十三 先付后贴, 十九 优先兑现, 市区共担): the interest-subsidy claims of $year in payment
-- order (staging/queue_order) paid from the budget while it lasts, each split between the city
-- and the district. The order is over all claims; the scope (scoped_payments) only filters the
-- rows returned.
with paid as (
    select
        *,
        case
            when cast($budget_fen as hugeint) is null then subsidy_fen
            else greatest(cast(0 as hugeint), least(subsidy_fen, cast($budget_fen as hugeint) - ahead_fen))
        end as paid_fen,
        -- the city part, half-up to the fen; the district pays the rest
        (2 * subsidy_fen * $city_share_num + $city_share_den) // nullif(2 * $city_share_den, 0) as city_fen
    from queue_order
),

statused as (
    select
        *,
        case when paid_fen = subsidy_fen then 'paid' when paid_fen > 0 then 'partial' else 'waiting' end as status
    from paid
)

select
    q.queue_no, q.payment_id, mine.loan_id, mine.project_id, mine.ent_id, mine.inst_id, mine.district_code,
    mine.kind, q.paid_on, q.cooperating,
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
