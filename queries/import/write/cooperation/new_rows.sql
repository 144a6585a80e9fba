-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of cooperation, defaults filled in.
create temp table import_new as
select
    cast("year" as integer) as "year",
    "inst_id" as "inst_id",
    coalesce("source", 'call') as "source"
from import_incoming
