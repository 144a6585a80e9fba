-- Every subsidy item of $year over all rows, caps applied (staging/subsidy_items): the result kept
-- once per data version, year and policy and shared by every reader (scoring.shared); readers
-- filter it through scoped_subsidy_items.
select *
from subsidy_items
