-- The anonymous yardstick of an institution user: per month of the deadline, the median
-- "3个1" compliance rate (R10) over the institutions of its own peer group. Only the
-- median leaves this query, and only for months where at least $min_peers institutions
-- were judged, so no other institution's rate can be read back from it. $scope_inst names
-- whose yardstick it is (not a filter): a user without an institution gets none.
--
-- Reads the judged stages (staging/sla_stages, as of $as_of) of the whole peer group, not
-- the user's own: that is the point of a yardstick. The median is taken from window
-- positions (portable SQL, no ordered-set aggregate).
with peers as (
    select inst_id
    from roster
    where peer_group = (select peer_group from roster where inst_id = $scope_inst)
),

judged as (
    select
        sla_stages.inst_id,
        cast(year(sla_stages.deadline) as varchar) || '-' || lpad(cast(month(sla_stages.deadline) as varchar), 2, '0')
            as month,
        count(case when sla_stages.status = 'met' then 1 end) as met,
        count(*) as judged
    from sla_stages
    join peers on peers.inst_id = sla_stages.inst_id
    where sla_stages.status in ('met', 'breached')
      and sla_stages.deadline between $period_start and $period_end
    group by sla_stages.inst_id, month
),

ranked as (
    select
        month,
        cast(met as double) / nullif(judged, 0) as rate,
        row_number() over (partition by month order by cast(met as double) / nullif(judged, 0)) as position,
        count(*) over (partition by month) as institutions
    from judged
),

middle as (
    -- odd n: the one position p with 2p = n + 1; even n: the two with 2p in {n, n + 2}
    select month, rate
    from ranked
    where institutions >= $min_peers
      and 2 * position between institutions and institutions + 2
)

select month, avg(rate) as median_rate
from middle
group by month
order by month
