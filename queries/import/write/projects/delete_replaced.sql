-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of projects that the part replaces (import_changes).
delete from projects
where cast(projects."project_id" as varchar) in (select row_key from import_changes where change = 'replaced')
