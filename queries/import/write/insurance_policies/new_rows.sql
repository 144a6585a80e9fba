-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of insurance_policies, defaults filled in.
create temp table import_new as
select
    "policy_id" as "policy_id",
    "ent_id" as "ent_id",
    "project_id" as "project_id",
    "insurer_id" as "insurer_id",
    "kind" as "kind",
    "product_name" as "product_name",
    cast("insured_amount" as decimal(18, 2)) as "insured_amount",
    cast("premium" as decimal(18, 2)) as "premium",
    cast("policy_year" as integer) as "policy_year"
from import_incoming
