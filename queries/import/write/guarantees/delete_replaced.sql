-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of guarantees that the part replaces (import_changes).
delete from guarantees
where cast(guarantees."guarantee_id" as varchar) in (select row_key from import_changes where change = 'replaced')
