-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's inserted and replacing rows into projects; unchanged rows stay as they are.
insert into projects
select n.* from import_new n
where cast(n."project_id" as varchar) in (select row_key from import_changes where change <> 'unchanged')
