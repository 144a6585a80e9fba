-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's inserted and replacing rows into interest_payments; unchanged rows stay as they are.
insert into interest_payments
select n.* from import_new n
where cast(n."payment_id" as varchar) in (select row_key from import_changes where change <> 'unchanged')
