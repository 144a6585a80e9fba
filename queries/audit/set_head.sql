-- Move a hash chain's head after sealing new rows (scoring/audit.py).
insert or replace into audit_heads (chain, rows, last_id, last_hash) values ($chain, $rows, $last_id, $last_hash)
