-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of loans, defaults filled in.
create temp table import_new as
select
    "loan_id" as "loan_id",
    "inst_id" as "inst_id",
    "ent_id" as "ent_id",
    "project_id" as "project_id",
    "app_id" as "app_id",
    "product_id" as "product_id",
    "kind" as "kind",
    cast("amount" as decimal(18, 2)) as "amount",
    cast(coalesce("land_amount", '0') as decimal(18, 2)) as "land_amount",
    cast("rate" as decimal(9, 6)) as "rate",
    cast("lpr" as decimal(9, 6)) as "lpr",
    cast("signed_on" as date) as "signed_on",
    cast("disbursed_on" as date) as "disbursed_on",
    cast("maturity_on" as date) as "maturity_on",
    coalesce("relending", 'none') as "relending",
    cast("credit_line" as decimal(18, 2)) as "credit_line"
from import_incoming
