-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of cases, defaults filled in.
create temp table import_new as
select
    "case_id" as "case_id",
    "inst_id" as "inst_id",
    "title" as "title",
    cast("year" as integer) as "year",
    "ent_id" as "ent_id",
    "summary" as "summary"
from import_incoming
