-- 融资对接台账 (十九) for the daily digest: the pooled projects (pooled by $as_of) within the scope
-- (scoped_projects) not financed by a 技改专项贷 signed by $as_of — the rows districts/ledger marks
-- not financed, without listing every other project's contracts. The digest asks it for a
-- district or the regulator, who see every contract on the projects they see (as
-- scoped_project_loans gives them), so a project's contracts are read from loans as they are:
-- joining the scoped view of a million loans ran out of a command's memory. Only the columns the
-- digest lists: the day's facts keep every district's rows (250 k at a million loans).
with financed as (
    select distinct loans.project_id
    from loans
    join institutions on institutions.inst_id = loans.inst_id
    where loans.signed_on <= $as_of
)

select
    p.district_code,
    p.project_id,
    enterprises.name as ent_name,
    p.pooled_on,
    p.total_investment
from scoped_projects as p
left join financed on financed.project_id = p.project_id
left join enterprises on enterprises.ent_id = p.ent_id
where p.pooled_on <= $as_of
  and financed.project_id is null
order by p.district_code, p.pooled_on, p.project_id
