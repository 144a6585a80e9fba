-- I1 distinctive products (R17): the mean of three parts, each 0–1 — innovative products
-- in the 创新产品库 launched by the cut-off $until (full at $products_full), the share of
-- V1 lent through innovative products, and typical cases of $year in the 典型案例库 (full
-- at $cases_full; a case is reported with its year only, so it counts from January) —
-- times 100.
with library as (
    select inst_id, count(*) as innovative_products
    from products
    where innovative and (launched_on is null or launched_on <= $until)
    group by inst_id
),

lent as (
    select
        inst_id,
        sum(case when innovative_product then amount else 0 end) / nullif(sum(amount), 0) as innovative_share
    from eval_loans
    where disbursed_year = $year
    group by inst_id
),

typical as (
    select inst_id, count(*) as cases
    from cases
    where year = $year
    group by inst_id
),

parts as (
    select
        roster.inst_id,
        coalesce(library.innovative_products, 0) as innovative_products,
        coalesce(lent.innovative_share, 0) as innovative_share,
        coalesce(typical.cases, 0) as cases
    from roster
    left join library on library.inst_id = roster.inst_id
    left join lent on lent.inst_id = roster.inst_id
    left join typical on typical.inst_id = roster.inst_id
)

select
    inst_id,
    innovative_products as I1_products,
    innovative_share as I1_share,
    cases as I1_cases,
    100 * (least(1.0, innovative_products / nullif($products_full, 0))
           + innovative_share
           + least(1.0, cases / nullif($cases_full, 0))) / 3 as I1
from parts
order by inst_id
