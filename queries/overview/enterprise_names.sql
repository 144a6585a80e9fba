-- The names of the enterprises a user may name: those behind the loans, applications and projects
-- it may see (an institution: the firms it lends to or serves; a district official: the firms
-- borrowing or with projects in its district; the regulator: every enterprise), so that lists show
-- names rather than only credit codes. The regulator's list reads no loan: the union of a year's
-- million loans took 0.6 s for names it may all read anyway.
with scoped as (
    select $scope_inst is not null or $scope_district is not null as limited
),

named as (
    select ent_id from scoped_loans where (select limited from scoped)
    union
    select ent_id from scoped_applications where (select limited from scoped)
    union
    select ent_id from scoped_projects where (select limited from scoped)
)

select enterprises.ent_id, enterprises.name
from enterprises
where not (select limited from scoped)
   or enterprises.ent_id in (select ent_id from named)
order by enterprises.ent_id
