-- The district horse race (R16, 十九) for $year, every one of the 41 units:
-- D1 技改专项贷 disbursed to the unit's enterprises, D2 its growth on $year − 1 (same rule
-- as V2), D3 projects entering the unit's key-project reserve pool in $year, D4 the share of
-- the pool (every project pooled by the end of $year) financed by a 技改专项贷 signed by
-- then (融资对接), D5 "3个1" compliance on applications from the unit's enterprises.
-- Everything stops at the cut-off $until (the end of $year unless a year-to-date race asks
-- for less); D2 compares with the same period of $year − 1 (up to $until_last_year).
-- Small bases (method settings $min_base, $min_pool, $min_stages): a ratio over too little
-- evidence says nothing about the unit — one financed project is not a 100 % financing
-- rate — so such a unit takes the city-wide value (all 41 units together) for D2, D4, D5.
-- Reads TEMP eval_loans and the judged stages due by the cut-off (staging/judged_due).
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

pool as (
    select
        district_code,
        sum(case when extract(year from pooled_on) = $year then 1 else 0 end) as pooled_in_year,
        count(*) as pooled
    from projects
    where pooled_on <= $until
    group by district_code
),

pool_financed as (
    -- the pooled projects financed by the cut-off, off the cut-off's loans alone (each carries its
    -- project's pool day and district: no join back to the projects)
    select project_district_code as district_code, count(distinct project_id) as pooled_financed
    from eval_loans
    where pooled_on <= $until
    group by project_district_code
),

judged as (
    select
        district_code,
        sum(case when status = 'met' then 1 else 0 end) as met,
        sum(case when status = 'breached' then 1 else 0 end) as breached
    from judged_due
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
        cast(coalesce(pool_financed.pooled_financed, 0) as integer) as pooled_financed,
        cast(coalesce(judged.met, 0) as integer) as met,
        cast(coalesce(judged.breached, 0) as integer) as breached
    from units
    left join lending on lending.district_code = units.district_code
    left join pool on pool.district_code = units.district_code
    left join pool_financed on pool_financed.district_code = units.district_code
    left join judged on judged.district_code = units.district_code
),

city as (
    select
        sum(amount) as amount,
        sum(amount_before) as amount_before,
        sum(pooled) as pooled,
        sum(pooled_financed) as pooled_financed,
        sum(met) as met,
        sum(breached) as breached
    from filled
),

own_or_city as (
    select
        filled.*,
        -- the amounts D2 compares: the unit's own, or the city's over a small base
        case when filled.amount_before < $min_base then city.amount else filled.amount end as growth_now,
        case when filled.amount_before < $min_base then city.amount_before else filled.amount_before end
            as growth_before,
        case when filled.pooled < $min_pool then city.pooled else filled.pooled end as share_pooled,
        case when filled.pooled < $min_pool then city.pooled_financed else filled.pooled_financed end
            as share_financed,
        case when filled.met + filled.breached < $min_stages then city.met else filled.met end as share_met,
        case when filled.met + filled.breached < $min_stages then city.breached else filled.breached end
            as share_breached
    from filled
    cross join city
)

select
    district_code,
    name,
    amount as D1,
    amount_before as D1_before,
    case
        when growth_before = 0 and growth_now = 0 then 0
        when growth_before = 0 then $growth_cap
        else least($growth_cap, (growth_now - growth_before) / growth_before)
    end as D2,
    pooled_in_year as D3,
    pooled as D4_pooled,
    pooled_financed as D4_financed,
    case when share_pooled > 0 then share_financed / share_pooled else 0 end as D4,
    met as D5_met,
    breached as D5_breached,
    case when share_met + share_breached > 0 then share_met / (share_met + share_breached) end as D5
from own_or_city
order by district_code
