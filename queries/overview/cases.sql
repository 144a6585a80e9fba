-- The typical cases (R17 典型案例库) of the institutions in scope, newest year first.
select
    cases.inst_id,
    cases.case_id,
    cases.year,
    cases.title,
    enterprises.name as ent_name,
    cases.summary
from scoped_cases as cases
left join enterprises on enterprises.ent_id = cases.ent_id
order by cases.inst_id, cases.year desc, cases.case_id
