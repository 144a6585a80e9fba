-- A hash chain's head: how many rows it has, the last row's id and hash (scoring/audit.py).
select rows, last_id, last_hash from audit_heads where chain = $chain
