-- Q2: registration, connection and decision on one day, in bulk: an institution that reports at
-- least $bulk_count applications registered, connected and decided on the same day has likely
-- back-filled its milestones rather than recorded them as they happened.
with same_day as (
    select a.app_id, a.inst_id, a.district_code, a.registered_on,
           count(*) over (partition by a.inst_id, a.registered_on) as that_day
    from scoped_applications as a
    where year(a.registered_on) = $year
      and a.connected_on = a.registered_on
      and a.decided_on = a.registered_on
)

select
    inst_id, district_code, 'applications' as table_name, app_id as row_key,
    '登记、对接、审批同在 ' || strftime(registered_on, '%Y-%m-%d') || '，当日共 ' || cast(that_day as varchar) || ' 笔如此'
        as detail
from same_day
where that_day >= $bulk_count
