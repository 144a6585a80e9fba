-- The demo generator's applications (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into applications by name
select
    app_id,
    ent_id,
    project_id,
    inst_id,
    channel,
    registered_on,
    connected_on,
    decision,
    decided_on,
    disbursed_on,
    simplified_review
from demo_rows
