-- Q1: a rate implausible against the matching-tenor LPR. The reported LPR must be the published
-- one of the loan's tenor (5 years or less: 1-year; longer: 5-year-plus) on the signing day, and
-- the rate must lie within the band a technical-transformation loan (lease) plausibly has around it.
-- $lpr_table is registered by scoring.quality from data/reference/lpr.csv.
with published as (
    select effective_from, one_year, five_year,
           lead(effective_from) over (order by effective_from) as next_from
    from lpr_table
),

judged as (
    select
        l.loan_id, l.inst_id, l.ent_district_code as district_code, l.kind, l.rate, l.lpr, l.signed_on,
        case when l.maturity_on > l.signed_on + interval 5 year then p.five_year else p.one_year end as reference_lpr
    from scoped_loans as l
    left join published as p
        on l.signed_on >= p.effective_from and (p.next_from is null or l.signed_on < p.next_from)
    where year(l.signed_on) = $year
)

select
    inst_id, district_code, 'loans' as table_name, loan_id as row_key,
    case
        when reference_lpr is not null and lpr <> reference_lpr
            then '报送的LPR ' || cast(round(lpr * 100, 2) as varchar) || '% 与签约日同期限LPR '
                 || cast(round(reference_lpr * 100, 2) as varchar) || '% 不符'
        when kind = 'loan' and rate < lpr - $bank_below
            then '贷款利率 ' || cast(round(rate * 100, 2) as varchar) || '% 低于LPR '
                 || cast(cast(round((lpr - rate) * 10000) as integer) as varchar) || ' 个基点'
        when kind = 'loan' and rate > lpr + $bank_above
            then '贷款利率 ' || cast(round(rate * 100, 2) as varchar) || '% 高于LPR '
                 || cast(cast(round((rate - lpr) * 10000) as integer) as varchar) || ' 个基点'
        when kind <> 'loan' and rate < lpr
            then '租赁利率 ' || cast(round(rate * 100, 2) as varchar) || '% 低于LPR'
        else '租赁利率 ' || cast(round(rate * 100, 2) as varchar) || '% 高于LPR '
             || cast(cast(round((rate - lpr) * 10000) as integer) as varchar) || ' 个基点'
    end as detail
from judged
where (reference_lpr is not null and lpr <> reference_lpr)
   or (kind = 'loan' and (rate < lpr - $bank_below or rate > lpr + $bank_above))
   or (kind <> 'loan' and (rate < lpr or rate > lpr + $lease_above))
