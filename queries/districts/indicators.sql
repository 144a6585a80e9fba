-- The district horse race (R16, 十九) for $year, every one of the 41 units:
-- D1 技改专项贷 disbursed to the unit's enterprises, D2 its growth on $year − 1 (same rule
-- as V2), D3 projects entering the unit's key-project reserve pool in $year, D4 the share of
-- the pool (every project pooled by the end of $year) financed by a 技改专项贷 signed by
-- then (融资对接), D5 "3个1" compliance on applications from the unit's enterprises.
-- Everything stops at the cut-off $until (the end of $year unless a year-to-date race asks
-- for less); D2 compares with the same period of $year − 1 (up to $until_last_year).
-- Reads TEMP eval_loans and TEMP sla_stages.
with units as (
    select district_code, name
    from districts
),

lending as (
    select
        ent_district_code as district_code,
        sum(case when disbursed_year = $year then amount else 0 end) as amount,
        sum(case when disbursed_year = $year - 1 and disbursed_on <= $until_last_year then amount else 0 end)
            as amount_before
    from eval_loans
    where disbursed_year in ($year - 1, $year)
    group by ent_district_code
),

financed_projects as (
    select distinct project_id
    from eval_loans
),

pool as (
    select
        projects.district_code,
        sum(case when extract(year from projects.pooled_on) = $year then 1 else 0 end) as pooled_in_year,
        count(*) as pooled,
        sum(case when financed_projects.project_id is not null then 1 else 0 end) as pooled_financed
    from projects
    left join financed_projects on financed_projects.project_id = projects.project_id
    where projects.pooled_on <= $until
    group by projects.district_code
),

judged as (
    select
        district_code,
        sum(case when status = 'met' then 1 else 0 end) as met,
        sum(case when status = 'breached' then 1 else 0 end) as breached
    from sla_stages
    where extract(year from deadline) = $year
      and deadline <= $until
      and status in ('met', 'breached')
    group by district_code
),

filled as (
    select
        units.district_code,
        units.name,
        coalesce(lending.amount, 0) as amount,
        coalesce(lending.amount_before, 0) as amount_before,
        cast(coalesce(pool.pooled_in_year, 0) as integer) as pooled_in_year,
        cast(coalesce(pool.pooled, 0) as integer) as pooled,
        cast(coalesce(pool.pooled_financed, 0) as integer) as pooled_financed,
        cast(coalesce(judged.met, 0) as integer) as met,
        cast(coalesce(judged.breached, 0) as integer) as breached
    from units
    left join lending on lending.district_code = units.district_code
    left join pool on pool.district_code = units.district_code
    left join judged on judged.district_code = units.district_code
)

select
    district_code,
    name,
    amount as D1,
    amount_before as D1_before,
    case
        when amount_before = 0 and amount = 0 then 0
        when amount_before = 0 then $growth_cap
        else least($growth_cap, (amount - amount_before) / amount_before)
    end as D2,
    pooled_in_year as D3,
    pooled as D4_pooled,
    pooled_financed as D4_financed,
    case when pooled > 0 then pooled_financed / pooled else 0 end as D4,
    met as D5_met,
    breached as D5_breached,
    case when met + breached > 0 then met / (met + breached) end as D5
from filled
order by district_code
