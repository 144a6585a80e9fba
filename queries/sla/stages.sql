-- R10 "3个1": the stages a user may see, one row per application and stage as of $as_of,
-- in process order.
select
    app_id, inst_id, ent_id, district_code, stage, started_on, deadline, done_on, status,
    working_days_used, working_days_left, working_days_late, withdrawn, provisional
from scoped_stages
order by app_id, stage_order
