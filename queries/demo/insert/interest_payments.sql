-- The demo generator's interest_payments (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into interest_payments by name
select
    payment_id,
    loan_id,
    period_start,
    period_end,
    paid_on,
    cast(interest_paid_fen as decimal(18, 0)) * 0.01 as interest_paid
from demo_rows
