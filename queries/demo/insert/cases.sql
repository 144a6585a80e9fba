-- The demo generator's cases (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into cases by name
select
    case_id,
    inst_id,
    title,
    year,
    ent_id,
    summary
from demo_rows
