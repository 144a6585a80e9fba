-- The first institution of a kind (bank, leasing): the demo accounts belong to it.
select min(inst_id) from institutions where kind = $kind
