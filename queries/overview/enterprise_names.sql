-- The names of the enterprises a user may name: those behind the loans, applications and projects
-- it may see (an institution: the firms it lends to or serves; a district official: the firms
-- borrowing or with projects in its district; the regulator: all of them), so that lists show
-- names rather than only credit codes.
with named as (
    select ent_id from scoped_loans
    union
    select ent_id from scoped_applications
    union
    select ent_id from scoped_projects
)

select enterprises.ent_id, enterprises.name
from enterprises
join named on named.ent_id = enterprises.ent_id
order by enterprises.ent_id
