-- The banks and leasing companies a user may name (scoped_roster): all for the regulator,
-- their own for an institution user, and for a district official those that lent to or
-- served its firms.
select inst_id, name, peer_group
from scoped_roster
order by peer_group, inst_id
