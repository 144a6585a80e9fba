-- Generated from scoring/contract.py by `python -m scoring.importing.dml`. Do not edit.
-- The part's cells (import_incoming: text, every column of the table; a column the file
-- leaves out is empty) cast to the types of interest_payments, defaults filled in.
create temp table import_new as
select
    "payment_id" as "payment_id",
    "loan_id" as "loan_id",
    cast("period_start" as date) as "period_start",
    cast("period_end" as date) as "period_end",
    cast("paid_on" as date) as "paid_on",
    cast("interest_paid" as decimal(18, 2)) as "interest_paid"
from import_incoming
