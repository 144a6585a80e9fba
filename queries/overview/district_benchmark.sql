-- The anonymous yardstick of a district in a stored run: per district indicator (D1–D5) the
-- median over all 41 units of the raw value and of the contribution (R16).
with measured as (
    select indicator, raw, contribution
    from run_indicators
    where run_id = $run_id and subject = 'district' and contribution is not null
),

ranked as (
    select
        indicator,
        raw,
        contribution,
        row_number() over (partition by indicator order by raw) as raw_position,
        row_number() over (partition by indicator order by contribution) as contribution_position,
        count(*) over (partition by indicator) as units
    from measured
)

select
    indicator,
    max(units) as units,
    avg(case when 2 * raw_position between units and units + 2 then raw end) as median_raw,
    avg(case when 2 * contribution_position between units and units + 2 then contribution end) as median_contribution
from ranked
group by indicator
order by indicator
