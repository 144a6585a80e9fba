-- The demo generator's loans (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into loans by name
select
    loan_id,
    inst_id,
    ent_id,
    project_id,
    app_id,
    product_id,
    kind,
    cast(amount_fen as decimal(18, 0)) * 0.01 as amount,
    cast(land_amount_fen as decimal(18, 0)) * 0.01 as land_amount,
    cast(rate_micro as decimal(18, 0)) * 0.000001 as rate,
    cast(lpr_micro as decimal(18, 0)) * 0.000001 as lpr,
    signed_on,
    disbursed_on,
    maturity_on,
    relending,
    cast(credit_line_fen as decimal(18, 0)) * 0.01 as credit_line
from demo_rows
