-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of projects, defaults filled in.
create temp table import_new as
select
    "project_id" as "project_id",
    "ent_id" as "ent_id",
    "district_code" as "district_code",
    "filing_no" as "filing_no",
    cast("filed_on" as date) as "filed_on",
    cast("pooled_on" as date) as "pooled_on",
    cast("total_investment" as decimal(18, 2)) as "total_investment",
    cast(coalesce("land_cost", '0') as decimal(18, 2)) as "land_cost",
    lower(coalesce("green", 'false')) in ('true', '是', '1') as "green",
    lower(coalesce("equipment_only", 'false')) in ('true', '是', '1') as "equipment_only",
    "category" as "category"
from import_incoming
