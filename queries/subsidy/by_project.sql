-- R1–R6: the subsidies of $year per project, kind and institution, within the scope
-- (scoped_project_subsidies).
-- in stored order of: project_subsidies
-- Read from a table that keeps them (in that order, staging/project_subsidies), the query runs
-- without its `order by`: scoped_project_subsidies selects from one table, which keeps the order
-- it reads. policy_id last: a project can hold two policies of one kind from one insurer, and a tie
-- would leave their order to the engine (DuckDB and Spark differed at 10,000,000 loans).
select
    project_id, policy_id, kind, kind_text, year, inst_id, ent_id, district_code,
    items, refused, uncapped, subsidy, capped, reason, reason_text
from scoped_project_subsidies
order by project_id, kind, inst_id, policy_id nulls last
