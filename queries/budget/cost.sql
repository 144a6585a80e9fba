-- The total subsidy of $year under the policy the session built its items with (subsidy_items,
-- all rows, caps applied), in yuan: one point of the budget simulator's cost curve.
select cast(cast(coalesce(sum(subsidy_fen), 0) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as cost
from subsidy_items
