-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of guarantees, defaults filled in.
create temp table import_new as
select
    "guarantee_id" as "guarantee_id",
    "loan_id" as "loan_id",
    "guarantor_id" as "guarantor_id",
    cast("guaranteed_amount" as decimal(18, 2)) as "guaranteed_amount",
    cast("fee_rate" as decimal(9, 6)) as "fee_rate",
    cast("fee_paid" as decimal(18, 2)) as "fee_paid",
    cast("paid_on" as date) as "paid_on"
from import_incoming
