-- Q4: an interest payment inconsistent with amount × rate × period: more than the whole contract
-- amount could earn at the contract rate over the period (actual/360, with $interest_tolerance
-- for day-count conventions), or a period that ends before the loan was disbursed.
with payments as (
    select p.payment_id, l.inst_id, l.ent_district_code as district_code, p.interest_paid, p.period_start, p.period_end,
           l.disbursed_on,
           cast(l.amount as double) * cast(l.rate as double)
               * ((epoch(p.period_end) - epoch(p.period_start)) / 86400 + 1) / 360 as most
    from interest_payments as p
    join scoped_loans as l on l.loan_id = p.loan_id
    where year(p.paid_on) = $year
)

select
    inst_id, district_code, 'interest_payments' as table_name, payment_id as row_key,
    case
        when disbursed_on is not null and period_end < disbursed_on
            then '计息期 ' || strftime(period_start, '%Y-%m-%d') || '至' || strftime(period_end, '%Y-%m-%d')
                 || ' 早于放款日 ' || strftime(disbursed_on, '%Y-%m-%d')
        else '付息 ' || cast(interest_paid as varchar) || ' 元，超过合同金额×利率×天数/360 的 '
             || cast(cast(most as decimal(18, 2)) as varchar) || ' 元'
    end as detail
from payments
where (disbursed_on is not null and period_end < disbursed_on)
   or cast(interest_paid as double) > most * (1 + $interest_tolerance) + 1
