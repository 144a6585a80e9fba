-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of districts that the part replaces (import_changes).
delete from districts
where cast(districts."district_code" as varchar) in (select row_key from import_changes where change = 'replaced')
