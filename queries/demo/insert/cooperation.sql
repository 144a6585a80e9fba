-- The demo generator's cooperation (data/demo.py, registered as demo_rows): money in integer fen and
-- rates in millionths become DECIMAL here, so no binary float carries a yuan or a rate.
insert into cooperation by name
select
    year,
    inst_id,
    source
from demo_rows
