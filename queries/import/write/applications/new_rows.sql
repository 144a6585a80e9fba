-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of applications, defaults filled in.
create temp table import_new as
select
    "app_id" as "app_id",
    "ent_id" as "ent_id",
    "project_id" as "project_id",
    "inst_id" as "inst_id",
    "channel" as "channel",
    cast("registered_on" as date) as "registered_on",
    cast("connected_on" as date) as "connected_on",
    "decision" as "decision",
    cast("decided_on" as date) as "decided_on",
    cast("disbursed_on" as date) as "disbursed_on",
    lower(coalesce("simplified_review", 'false')) in ('true', '是', '1') as "simplified_review"
from import_incoming
