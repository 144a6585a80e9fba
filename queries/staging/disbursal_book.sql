-- staging: book
-- Every disbursed application, with the applying enterprise's district, its disbursement day
-- and its working days from registration to disbursement (R9; both days must be in the
-- calendar). S2 (sla/cycle_days) reads a period's disbursements off it, so a session over many
-- cut-offs (the race's twelve month ends) joins the calendar once. Apart from
-- staging/approval_book: a reader of one would otherwise join what only the other needs (the
-- projects, 2.7 M rows at 3,000,000 loans, took S2 past the command line's 256 MB). Readers
-- showing a user's rows go through staging/scoped_disbursals.
select
    applications.inst_id,
    enterprises.district_code,
    applications.disbursed_on,
    paid.work_ordinal - registered.work_ordinal as working_days
from applications
left join enterprises on enterprises.ent_id = applications.ent_id
join calendar as registered on registered.day = applications.registered_on
join calendar as paid on paid.day = applications.disbursed_on
where applications.decision = 'approved'
