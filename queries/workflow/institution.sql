-- One institution's name (checks that an id names an institution).
select inst_id, name, kind
from institutions
where inst_id = $inst_id
