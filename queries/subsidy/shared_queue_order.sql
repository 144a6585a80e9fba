-- Every interest-subsidy claim of $year over all rows in payment order (staging/queue_order): kept
-- once per data version, year and policy with the subsidy items and shared by every reader
-- (scoring.shared); subsidy/queue walks it under a budget and filters it to the scope.
select *
from queue_order
