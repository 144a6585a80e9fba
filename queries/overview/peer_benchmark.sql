-- The anonymous yardstick of an institution in a stored run: over the scored institutions of
-- its own peer group, per indicator contribution and for the score itself, the median, and
-- the mean and minimum among the institutions selected for next year (the selection line).
-- A figure leaves only when at least $min_peers institutions stand behind it. $scope_inst
-- names whose yardstick it is (not a filter): a user without an institution gets none.
with me as (
    select peer_group
    from run_institutions
    where run_id = $run_id and inst_id = $scope_inst
),

peers as (
    select run_institutions.inst_id, run_institutions.score, run_institutions.selected
    from run_institutions
    join me on me.peer_group = run_institutions.peer_group
    where run_institutions.run_id = $run_id and run_institutions.status = 'scored'
),

measured as (
    select peers.selected, run_indicators.indicator as measure, run_indicators.contribution as value
    from run_indicators
    join peers on peers.inst_id = run_indicators.subject_id
    where run_indicators.run_id = $run_id
      and run_indicators.subject = 'institution'
      and run_indicators.contribution is not null
    union all
    select selected, 'score', score
    from peers
),

ranked as (
    select
        measure,
        value,
        selected,
        row_number() over (partition by measure order by value) as position,
        count(*) over (partition by measure) as institutions
    from measured
),

summary as (
    select
        measure,
        max(institutions) as institutions,
        -- odd n: the position p with 2p = n + 1; even n: the two with 2p in {n, n + 2}
        avg(case when 2 * position between institutions and institutions + 2 then value end) as median,
        count(case when selected then 1 end) as selected_count,
        avg(case when selected then value end) as selected_mean,
        min(case when selected then value end) as selected_min
    from ranked
    group by measure
)

select
    measure,
    institutions,
    median,
    case when selected_count >= $min_peers then selected_mean end as selected_mean,
    case when selected_count >= $min_peers then selected_min end as selected_min
from summary
where institutions >= $min_peers
order by measure
