-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of cooperation that the part replaces (import_changes).
delete from cooperation
where concat_ws('|', cast(cooperation."year" as varchar), cast(cooperation."inst_id" as varchar)) in (select row_key from import_changes where change = 'replaced')
