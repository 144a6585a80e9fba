-- The demo generator's guarantees (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into guarantees by name
select
    guarantee_id,
    loan_id,
    guarantor_id,
    cast(guaranteed_amount_fen as decimal(18, 0)) * 0.01 as guaranteed_amount,
    cast(fee_rate_micro as decimal(18, 0)) * 0.000001 as fee_rate,
    cast(fee_paid_fen as decimal(18, 0)) * 0.01 as fee_paid,
    paid_on
from demo_rows
