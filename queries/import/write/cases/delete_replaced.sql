-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of cases that the part replaces (import_changes).
delete from cases
where cast(cases."case_id" as varchar) in (select row_key from import_changes where change = 'replaced')
