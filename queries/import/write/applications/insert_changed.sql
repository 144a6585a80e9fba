-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's inserted and replacing rows into applications; unchanged rows stay as they are.
insert into applications
select n.* from import_new n
where cast(n."app_id" as varchar) in (select row_key from import_changes where change <> 'unchanged')
