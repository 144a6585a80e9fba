-- The district horse race (R16, 十九) for $year, every one of the 41 units, at every cut-off of the
-- table cut_offs (until, as_of, until_last_year: one row for an evaluation, one per month end for the
-- month-by-month race): D1 技改专项贷 disbursed to the unit's enterprises, D2 its growth on $year − 1
-- (same rule as V2), D3 projects entering the unit's key-project reserve pool in $year, D4 the share of
-- the pool (every project pooled by the cut-off) financed by a 技改专项贷 signed by then (融资对接),
-- D5 "3个1" compliance on applications from the unit's enterprises.
-- Everything stops at the cut-off's `until` (the end of $year unless a year-to-date race asks for
-- less); D2 compares with the same period of $year − 1 (up to its `until_last_year`); D5 counts the
-- stages due by `until` judged as of its `as_of`.
-- Small bases (method settings $min_base, $min_pool, $min_stages): a ratio over too little
-- evidence says nothing about the unit — one financed project is not a 100 % financing
-- rate — so such a unit takes the city-wide value (all 41 units together) for D2, D4, D5.
-- Reads TEMP eval_loans of the latest cut-off ($until; every row of cut_offs is in $year, no later): an
-- earlier cut-off keeps the loans signed and filed by its own day (counted_on), disbursed by then. D5
-- sums staging/judged_due's count of the judged stages at every cut-off, which S1 sums too. So twelve
-- month ends are one pass over the loans and the stages, not twelve, and one cut-off is the same query.
with units as (
    select district_code, name
    from districts
),

lending as (
    -- the amounts by the days that decide which cut-offs count them: far fewer rows than the loans
    select ent_district_code as district_code, disbursed_year, disbursed_on, counted_on, sum(amount) as amount
    from eval_loans
    where disbursed_year in ($year - 1, $year)
    group by ent_district_code, disbursed_year, disbursed_on, counted_on
),

lent as (
    select
        cut_offs.until,
        lending.district_code,
        sum(case when disbursed_year = $year and disbursed_on <= cut_offs.until then amount else 0 end) as amount,
        sum(case when disbursed_year = $year - 1 and disbursed_on <= cut_offs.until_last_year then amount else 0 end)
            as amount_before
    from cut_offs
    join lending on lending.counted_on <= cut_offs.until
    group by cut_offs.until, lending.district_code
),

pooled_days as (
    select district_code, pooled_on, count(*) as projects
    from projects
    where pooled_on <= $until
    group by district_code, pooled_on
),

pool as (
    select
        cut_offs.until,
        pooled_days.district_code,
        sum(case when extract(year from pooled_days.pooled_on) = $year then projects else 0 end) as pooled_in_year,
        sum(projects) as pooled
    from cut_offs
    join pooled_days on pooled_days.pooled_on <= cut_offs.until
    group by cut_offs.until, pooled_days.district_code
),

financed_days as (
    -- each pooled project by the first day a cut-off keeps it financed: pooled, and a loan kept (each
    -- loan carries its project's pool day and district: no join back to the projects)
    select district_code, financed_on, count(*) as projects
    from (
        select project_district_code as district_code, min(greatest(counted_on, pooled_on)) as financed_on
        from eval_loans
        where pooled_on <= $until
        group by project_district_code, project_id
    ) as financed
    group by district_code, financed_on
),

pool_financed as (
    select cut_offs.until, financed_days.district_code, sum(financed_days.projects) as pooled_financed
    from cut_offs
    join financed_days on financed_days.financed_on <= cut_offs.until
    group by cut_offs.until, financed_days.district_code
),

judged as (
    select until, district_code, sum(met) as met, sum(breached) as breached
    from judged_due
    group by until, district_code
),

filled as (
    select
        cut_offs.until,
        units.district_code,
        units.name,
        coalesce(lent.amount, 0) as amount,
        coalesce(lent.amount_before, 0) as amount_before,
        cast(coalesce(pool.pooled_in_year, 0) as integer) as pooled_in_year,
        cast(coalesce(pool.pooled, 0) as integer) as pooled,
        cast(coalesce(pool_financed.pooled_financed, 0) as integer) as pooled_financed,
        cast(coalesce(judged.met, 0) as integer) as met,
        cast(coalesce(judged.breached, 0) as integer) as breached
    from cut_offs
    cross join units
    left join lent on lent.until = cut_offs.until and lent.district_code = units.district_code
    left join pool on pool.until = cut_offs.until and pool.district_code = units.district_code
    left join pool_financed
        on pool_financed.until = cut_offs.until and pool_financed.district_code = units.district_code
    left join judged on judged.until = cut_offs.until and judged.district_code = units.district_code
),

city as (
    select
        until,
        sum(amount) as amount,
        sum(amount_before) as amount_before,
        sum(pooled) as pooled,
        sum(pooled_financed) as pooled_financed,
        sum(met) as met,
        sum(breached) as breached
    from filled
    group by until
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
    join city on city.until = filled.until
)

select
    until,
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
order by until, district_code
