-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into enterprises: none is unchanged, so no key is compared.
insert into enterprises
select * from import_new
