-- Headline figures of one year for the user's scope: amount disbursed, loans, enterprises,
-- amount-weighted rate and LPR of bank loans (R12 rate discount), and last year's amount.
with scoped as (
    select
        loans.loan_id,
        loans.ent_id,
        loans.amount,
        loans.rate,
        loans.lpr,
        loans.kind,
        year(loans.disbursed_on) as year
    from scoped_loans as loans
    where loans.disbursed_on is not null
      and year(loans.disbursed_on) in ($year, $year - 1)
),

this_year as (
    select
        coalesce(sum(amount), 0) as amount,
        count(*) as loans,
        count(distinct ent_id) as enterprises,
        -- rate vs LPR for bank loans: lease rents are not priced against the LPR
        sum(case when kind = 'loan' then amount * rate end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_rate,
        sum(case when kind = 'loan' then amount * lpr end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_lpr
    from scoped
    where year = $year
),

last_year as (
    select coalesce(sum(amount), 0) as amount_before
    from scoped
    where year = $year - 1
)

select this_year.*, last_year.amount_before
from this_year
cross join last_year
