-- Who to call about a unit's pooled projects still without financing (十九 融资对接): per project
-- category, the banks and leasing companies that signed the most loans and leases on the unit's
-- projects of that category between $since and $as_of — active in that district and line of
-- upgrade — at most $top each, the most active first. Loans are read as the user may see them.
with recent as (
    select
        coalesce(projects.category, 'other') as category,
        contracts.inst_id,
        contracts.amount
    from scoped_project_loans as contracts
    join projects on projects.project_id = contracts.project_id
    where contracts.signed_on > $since
      and contracts.signed_on <= $as_of
      and contracts.district_code = $district
),

per_institution as (
    select category, inst_id, count(*) as loans, sum(amount) as amount
    from recent
    group by category, inst_id
),

ranked as (
    select
        per_institution.*,
        row_number() over (partition by category order by loans desc, amount desc, inst_id) as place
    from per_institution
)

select ranked.category, ranked.inst_id, roster.name, ranked.loans, ranked.amount, ranked.place
from ranked
join roster on roster.inst_id = ranked.inst_id
where ranked.place <= $top
order by ranked.category, ranked.place
