-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- Every row of the part into holidays: none is unchanged, so no key is compared.
insert into holidays
select * from import_new
