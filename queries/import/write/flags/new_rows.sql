-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of flags, defaults filled in.
create temp table import_new as
select
    "flag_id" as "flag_id",
    "inst_id" as "inst_id",
    cast("year" as integer) as "year",
    "kind" as "kind",
    "note" as "note"
from import_incoming
