-- Headline figures of one year to the cut-off $until for the user's scope, on the one basis
-- named 技改专项贷 (eval_loans, the loans the evaluation's V1 and D1 count: filed projects of
-- manufacturing firms): amount disbursed, loans, enterprises, amount-weighted rate and LPR of
-- bank loans (R12 rate discount), and the same period of last year. A second basis,
-- reported_amount, is every reported loan disbursed in the period, qualifying or not.
with scoped as (
    select ent_id, amount, rate, lpr, kind, disbursed_on, disbursed_year
    from scoped_eval_loans
    where disbursed_year in ($year, $year - 1)
),

this_year as (
    select
        coalesce(sum(amount), 0) as amount,
        count(*) as loans,
        count(distinct ent_id) as enterprises,
        -- rate vs LPR for bank loans: lease rents are not priced against the LPR
        sum(case when kind = 'loan' then cast(amount as decimal(38, 2)) * rate end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_rate,
        sum(case when kind = 'loan' then cast(amount as decimal(38, 2)) * lpr end) / nullif(sum(case when kind = 'loan' then amount end), 0)
            as mean_lpr
    from scoped
    where disbursed_year = $year
),

last_year as (
    select coalesce(sum(amount), 0) as amount_before
    from scoped
    where disbursed_year = $year - 1 and disbursed_on <= $until_last_year
),

reported as (
    select coalesce(sum(amount), 0) as reported_amount
    from scoped_loans
    where disbursed_on between make_date($year, 1, 1) and $until
)

select this_year.*, last_year.amount_before, reported.reported_amount
from this_year
cross join last_year
cross join reported
