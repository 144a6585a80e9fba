-- P1 rate discount: amount-weighted mean of (LPR − rate) over the V1 loans, in basis
-- points; P2 (十四) the same for key firms (unicorn, potential unicorn, gazelle,
-- specialized, little giant) minus the others. With no loans on one side P2 is 0: no
-- evidence of a differential either way.
-- At every cut-off of the table cut_offs, off the latest cut-off's 技改专项贷: a loan counts from the day
-- it is signed and filed (counted_on, staging/eval_loans), its disbursement once that falls by the
-- cut-off too; amounts are first summed by those days, so the month ends are one pass over the loans.
with lent as (
    select
        inst_id,
        greatest(counted_on, disbursed_on) as lent_on,
        key_borrower,
        sum(amount) as amount,
        sum(cast(amount as decimal(38, 2)) * discount) as discount_amount  -- DECIMAL(18) would overflow at the bounds
    from eval_loans
    where disbursed_year = $year
    group by inst_id, greatest(counted_on, disbursed_on), key_borrower
),

weighted as (
    select
        cut_offs.until,
        lent.inst_id,
        sum(amount) as amount,
        sum(discount_amount) as discount_amount,
        sum(case when key_borrower then amount else 0 end) as key_amount,
        sum(case when key_borrower then discount_amount else 0 end) as key_discount_amount
    from cut_offs
    join lent on lent.lent_on <= cut_offs.until
    group by cut_offs.until, lent.inst_id
),

means as (
    select
        until,
        inst_id,
        10000 * discount_amount / nullif(amount, 0) as P1,
        case when key_amount > 0 then 10000 * key_discount_amount / key_amount end as key_bp,
        case when amount > key_amount
            then 10000 * (discount_amount - key_discount_amount) / (amount - key_amount) end as other_bp
    from weighted
)

select
    cut_offs.until,
    roster.inst_id,
    coalesce(means.P1, 0) as P1,
    means.key_bp as P2_key,
    means.other_bp as P2_other,
    coalesce(means.key_bp - means.other_bp, 0) as P2
from cut_offs
cross join roster
left join means on means.until = cut_offs.until and means.inst_id = roster.inst_id
order by until, inst_id
