-- The totals of $year's subsidy items within the scope (scoped_subsidy_items), before and after
-- the caps, in yuan (what a recorded subsidy computation keeps beside its policy: the sums of
-- subsidy/by_project's rows), and the projects with a subsidy after the caps.
select
    cast(cast(coalesce(sum(uncapped_fen), 0) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(coalesce(sum(subsidy_fen), 0) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    count(distinct project_id) filter (where subsidy_fen > 0) as subsidised_projects
from scoped_subsidy_items
