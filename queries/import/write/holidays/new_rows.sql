-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of holidays, defaults filled in.
create temp table import_new as
select
    cast("day" as date) as "day",
    lower(coalesce("working", 'false')) in ('true', '是', '1') as "working",
    "note" as "note"
from import_incoming
