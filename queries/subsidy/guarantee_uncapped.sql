-- R5: the uncapped reward of every guarantee fee paid up to $year, for a guarantee firm
-- that guarantees a 技改专项贷 loan of an eligible project (R1) at an annualised fee rate
-- of at most 1 %: reward = ½ × fee_paid, half-up to the fen.
with guarantees_judged as (
    select
        j.event_id as guarantee_id, j.loan_id, j.project_id, j.ent_id, j.district_code,
        j.paid_on, j.paid as fee_paid, j.reason as loan_reason,
        g.guarantor_id, g.guaranteed_amount, g.fee_rate,
        coalesce(gi.kind, '') as guarantor_kind
    from judged_events as j
    join guarantees as g on g.guarantee_id = j.event_id
    left join institutions as gi on gi.inst_id = g.guarantor_id
    where j.source = 'guarantee'
),

reasoned as (
    select
        *,
        case
            when loan_reason is not null then loan_reason
            when guarantor_kind <> 'guarantee' then 'guarantor_not_guarantee_firm'
            when fee_rate > $guarantee_fee_rate_max then 'fee_rate_above_1pct'
        end as reason,
        cast(fee_paid * 100 as hugeint) * $guarantee_share_num as numerator,
        cast($guarantee_share_den as hugeint) as denominator
    from guarantees_judged
)

select
    guarantee_id, loan_id, project_id, ent_id, district_code, guarantor_id as inst_id,
    paid_on, year(paid_on) as year, fee_paid, guaranteed_amount, fee_rate, reason,
    case
        when reason is null then (2 * numerator + denominator) // nullif(2 * denominator, 0)
        else cast(0 as hugeint)
    end as uncapped_fen
from reasoned
