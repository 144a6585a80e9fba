-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of products, defaults filled in.
create temp table import_new as
select
    "product_id" as "product_id",
    "inst_id" as "inst_id",
    "name" as "name",
    "category" as "category",
    cast("launched_on" as date) as "launched_on",
    lower(coalesce("innovative", 'false')) in ('true', '是', '1') as "innovative"
from import_incoming
