-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into interest_payments: none is unchanged, so no key is compared.
insert into interest_payments
select * from import_new
