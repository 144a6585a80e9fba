-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into cases: none is unchanged, so no key is compared.
insert into cases
select * from import_new
