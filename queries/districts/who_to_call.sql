-- Who to call about a unit's pooled projects still without financing (十九 融资对接): per project
-- category, the banks and leasing companies that signed the most loans and leases on the unit's
-- projects of that category between $since and $as_of — active in that district and line of
-- upgrade — at most $top each, the most active first.
with recent as (
    select
        coalesce(projects.category, 'other') as category,
        loans.inst_id,
        loans.amount
    from loans
    join projects on projects.project_id = loans.project_id
    where loans.signed_on > $since
      and loans.signed_on <= $as_of
      and projects.district_code = $district
      and ($scope_district is null or projects.district_code = $scope_district)
      and $scope_inst is null
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
