-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's inserted and replacing rows into cooperation; unchanged rows stay as they are.
insert into cooperation
select n.* from import_new n
where concat_ws('|', cast(n."year" as varchar), cast(n."inst_id" as varchar)) in (select row_key from import_changes where change <> 'unchanged')
