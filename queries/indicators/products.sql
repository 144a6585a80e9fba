-- I1 distinctive products (R17): the mean of three parts, each 0–1 — innovative products
-- in the 创新产品库 launched by the cut-off $until (full at $products_full), the share of
-- V1 lent through innovative products, and typical cases of $year in the 典型案例库 (full
-- at $cases_full; a case is reported with its year only, so it counts from January) —
-- times 100.
-- At every cut-off of the table cut_offs, off the latest cut-off's 技改专项贷: a loan counts from the day
-- it is signed and filed (counted_on, staging/eval_loans), its disbursement once that falls by the
-- cut-off too; amounts are first summed by those days, so the month ends are one pass over the loans.
-- Products count from their launch.
with library as (
    select cut_offs.until, products.inst_id, count(*) as innovative_products
    from cut_offs
    join products on products.launched_on is null or products.launched_on <= cut_offs.until
    where products.innovative
    group by cut_offs.until, products.inst_id
),

lent_days as (
    select
        inst_id,
        greatest(counted_on, disbursed_on) as lent_on,
        sum(case when innovative_product then amount else 0 end) as innovative_amount,
        sum(amount) as amount
    from eval_loans
    where disbursed_year = $year
    group by inst_id, greatest(counted_on, disbursed_on)
),

lent as (
    select
        cut_offs.until,
        lent_days.inst_id,
        sum(innovative_amount) / nullif(sum(amount), 0) as innovative_share
    from cut_offs
    join lent_days on lent_days.lent_on <= cut_offs.until
    group by cut_offs.until, lent_days.inst_id
),

typical as (
    select inst_id, count(*) as cases
    from cases
    where year = $year
    group by inst_id
),

parts as (
    select
        cut_offs.until,
        roster.inst_id,
        coalesce(library.innovative_products, 0) as innovative_products,
        coalesce(lent.innovative_share, 0) as innovative_share,
        coalesce(typical.cases, 0) as cases
    from cut_offs
    cross join roster
    left join library on library.until = cut_offs.until and library.inst_id = roster.inst_id
    left join lent on lent.until = cut_offs.until and lent.inst_id = roster.inst_id
    left join typical on typical.inst_id = roster.inst_id
)

select
    until,
    inst_id,
    innovative_products as I1_products,
    innovative_share as I1_share,
    cases as I1_cases,
    100 * (least(1.0, innovative_products / nullif($products_full, 0))
           + innovative_share
           + least(1.0, cases / nullif($cases_full, 0))) / 3 as I1
from parts
order by until, inst_id
