-- The guarantee fees and insurance policies of $year over all rows, caps applied
-- (staging/guarantee_and_policy_items): kept once per data version, year and policy beside the
-- interest payments (subsidy/shared_payments) and shared by every reader (scoring.shared), whose
-- staging/subsidy_items is the union of the two; readers filter it through scoped_subsidy_items.
select *
from guarantee_and_policy_items
