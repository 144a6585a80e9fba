-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of insurance_policies that the part replaces (import_changes).
delete from insurance_policies
where cast(insurance_policies."policy_id" as varchar) in (select row_key from import_changes where change = 'replaced')
