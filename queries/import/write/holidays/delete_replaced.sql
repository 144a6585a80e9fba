-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of holidays that the part replaces (import_changes).
delete from holidays
where cast(holidays."day" as varchar) in (select row_key from import_changes where change = 'replaced')
