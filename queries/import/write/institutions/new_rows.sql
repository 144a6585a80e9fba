-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of institutions, defaults filled in.
create temp table import_new as
select
    "inst_id" as "inst_id",
    "name" as "name",
    "kind" as "kind",
    lower(coalesce("local_legal_person", 'false')) in ('true', '是', '1') as "local_legal_person",
    cast("paid_in_capital" as decimal(18, 2)) as "paid_in_capital",
    "tier" as "tier"
from import_incoming
