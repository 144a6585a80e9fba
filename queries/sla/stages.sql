-- R10 "3个1": the stages a user may see, one row per application and stage as of $as_of,
-- in process order.
-- in stored order of: sla_stages
-- Read from a table that keeps the judged stages (in that order, staging/sla_stages), the query
-- runs without its `order by`: scoped_stages selects from one table, which keeps the order it reads.
select
    app_id, inst_id, ent_id, district_code, stage, started_on, deadline, done_on, status,
    working_days_used, working_days_left, working_days_late, withdrawn, provisional
from scoped_stages
order by app_id, stage_order
