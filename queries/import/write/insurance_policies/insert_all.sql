-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into insurance_policies: none is unchanged, so no key is compared.
insert into insurance_policies
select * from import_new
