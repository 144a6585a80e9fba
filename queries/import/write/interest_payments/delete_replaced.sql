-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The stored rows of interest_payments that the part replaces (import_changes).
delete from interest_payments
where cast(interest_payments."payment_id" as varchar) in (select row_key from import_changes where change = 'replaced')
