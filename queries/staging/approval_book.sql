-- staging: book
-- Every approved application, with the applying enterprise's district and what does not
-- depend on the period it is counted in: its decision and disbursement days, whether it used
-- the simplified review and could (R11: a green project, a whitelisted enterprise or an
-- equipment-only project), and its working days from registration to disbursement (R9; empty
-- when not disbursed, or a day is outside the calendar). R11's share (sla/simplified_review)
-- and S2 (sla/cycle_days) read a period's approvals off it, so a session over many cut-offs
-- (the race's twelve month ends) joins the enterprises, projects and calendar once. Readers
-- showing a user's rows go through staging/scoped_approvals.
select
    applications.inst_id,
    enterprises.district_code,
    applications.decided_on,
    applications.disbursed_on,
    applications.simplified_review,
    coalesce(projects.green, false)
        or coalesce(projects.equipment_only, false)
        or coalesce(';' || replace(enterprises.tags, ' ', '') || ';' like '%;whitelist;%', false)
        as review_eligible,
    paid.work_ordinal - registered.work_ordinal as working_days
from applications
left join enterprises on enterprises.ent_id = applications.ent_id
left join projects on projects.project_id = applications.project_id
left join calendar as registered on registered.day = applications.registered_on
left join calendar as paid on paid.day = applications.disbursed_on
where applications.decision = 'approved'
