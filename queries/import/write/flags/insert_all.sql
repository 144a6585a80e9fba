-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into flags: none is unchanged, so no key is compared.
insert into flags
select * from import_new
