-- The banks and leasing companies: everyone the comprehensive evaluation lists (R12), with
-- its peer group. Reference facts only, no one's scope: readers that show rows to a user
-- narrow it themselves.
select inst_id, name, kind as peer_group, tier, local_legal_person, paid_in_capital
from institutions
where kind in ('bank', 'leasing')
