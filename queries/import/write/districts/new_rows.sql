-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of districts, defaults filled in.
create temp table import_new as
select
    "district_code" as "district_code",
    "name" as "name",
    "category" as "category"
from import_incoming
