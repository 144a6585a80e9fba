-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into districts: none is unchanged, so no key is compared.
insert into districts
select * from import_new
