-- R2, R3: the uncapped subsidy of every interest payment of $year, exactly to the fen.
-- subsidy = interest × (1 − land_amount / amount) × min(share, 2 points / rate), where
-- share is ½ for a bank loan (R2) and 1 for a direct lease (R3). DECIMAL division would
-- give DOUBLE, so the product is one exact fraction of integers (fen, rate in
-- millionths) rounded half-up once: round(n / d) = (2n + d) // (2d) for n, d ≥ 0.
--
-- Without land (96 % of the demo's loans) the land factor is 1: the fraction loses amount_fen
-- above and below, which is the same number, so the same rounding, and fits BIGINT for a payment
-- under 1,000,000,000 yuan whose share or points are under 1,000,000 over a denominator under 1e12
-- (2 × 1e11 fen × 1e6 + 1e12 < 9.2e18): every payment of the built-in policy. Only the others need
-- HUGEINT; that arithmetic on every payment was a fifth of building this table at a million loans.
with integers as (
    select
        *,
        cast(rate * 1000000 as hugeint) as rate_micro,
        case when kind = 'loan' then $loan_share_num else $lease_share_num end as share_num,
        case when kind = 'loan' then $loan_share_den else $lease_share_den end as share_den
    from judged_payments
),

factors as (
    -- share ≤ points / rate  ⇔  share_num × rate ≤ points × share_den
    select
        *,
        -- in HUGEINT: a share of six decimals has a denominator of 1,000,000, and 20,000 × that overflows INTEGER
        share_num * rate_micro <= cast($rate_points_micro as hugeint) * share_den as share_binds
    from integers
),

fractions as (
    -- the fraction without its land factor: interest_fen × numerator / denominator
    select
        *,
        case when share_binds then share_num else $rate_points_micro end as numerator,
        case when share_binds then share_den else rate_micro end as denominator
    from factors
)

select
    payment_id, loan_id, inst_id, ent_id, project_id, district_code, kind, paid_on,
    interest_paid, amount, land_amount, rate, reason,
    case when share_binds then 'rate_share' else 'rate_points' end as basis,
    case
        when reason is not null then cast(0 as hugeint)
        when land_amount = 0 and interest_paid < 1000000000 and numerator < 1000000 and denominator < 1000000000000 then cast(
            (2 * cast(interest_paid * 100 as bigint) * numerator + cast(denominator as bigint))
                // nullif(2 * cast(denominator as bigint), 0) as hugeint)
        else (2 * cast(interest_paid * 100 as hugeint) * cast((amount - land_amount) * 100 as hugeint) * numerator
                  + cast(amount * 100 as hugeint) * denominator)
             // nullif(2 * cast(amount * 100 as hugeint) * denominator, 0)
    end as uncapped_fen
from fractions
