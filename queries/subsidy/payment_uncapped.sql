-- R2, R3: the uncapped subsidy of every interest payment of $year, exactly to the fen.
-- subsidy = interest × (1 − land_amount / amount) × min(share, 2 points / rate), where
-- share is ½ for a bank loan (R2) and 1 for a direct lease (R3). DECIMAL division would
-- give DOUBLE, so the product is one exact fraction of integers (fen, rate in
-- millionths) rounded half-up once: round(n / d) = (2n + d) // (2d) for n, d ≥ 0.
with integers as (
    select
        *,
        cast(interest_paid * 100 as hugeint) as interest_fen,
        cast(amount * 100 as hugeint) as amount_fen,
        cast((amount - land_amount) * 100 as hugeint) as non_land_fen,
        cast(rate * 1000000 as hugeint) as rate_micro,
        case when kind = 'loan' then $loan_share_num else $lease_share_num end as share_num,
        case when kind = 'loan' then $loan_share_den else $lease_share_den end as share_den
    from judged_payments
),

factors as (
    -- share ≤ points / rate  ⇔  share_num × rate ≤ points × share_den
    select
        *,
        share_num * rate_micro <= $rate_points_micro * share_den as share_binds
    from integers
),

fractions as (
    select
        *,
        interest_fen * non_land_fen
            * case when share_binds then share_num else $rate_points_micro end as numerator,
        amount_fen * case when share_binds then share_den else rate_micro end as denominator
    from factors
)

select
    payment_id, loan_id, inst_id, ent_id, project_id, district_code, kind, paid_on,
    interest_paid, amount, land_amount, rate, reason,
    case when share_binds then 'rate_share' else 'rate_points' end as basis,
    case
        when reason is null then (2 * numerator + denominator) // nullif(2 * denominator, 0)
        else cast(0 as hugeint)
    end as uncapped_fen
from fractions
