-- Every interest payment of $year over all rows with its subsidy after the caps
-- (staging/payment_subsidies): kept once per data version, year and policy and shared by every
-- reader (scoring.shared); readers filter it through scoped_payments.
select *
from payment_subsidies
