-- staging: book
-- Every approved application, with the applying enterprise's district and what R11 asks of it
-- whatever the period it is counted in: its decision day, whether it used the simplified review
-- and whether it could (a green project, a whitelisted enterprise or an equipment-only project).
-- R11's share (sla/simplified_review) reads a period's approvals off it, so a session over many
-- cut-offs (the race's twelve month ends) joins the enterprises and projects once. Readers
-- showing a user's rows go through staging/scoped_approvals. The favoured projects are a set
-- the approvals are looked up in, not a join: joined, the planner held the approvals in a hash
-- table to probe the enterprises with, past the command line's 256 MB at 3,000,000 loans.
select
    applications.inst_id,
    enterprises.district_code,
    applications.decided_on,
    applications.simplified_review,
    coalesce(applications.project_id in (
        select project_id from projects where coalesce(green, false) or coalesce(equipment_only, false)
    ), false)
        or coalesce(';' || replace(enterprises.tags, ' ', '') || ';' like '%;whitelist;%', false)
        as review_eligible
from applications
left join enterprises on enterprises.ent_id = applications.ent_id
where applications.decision = 'approved'
