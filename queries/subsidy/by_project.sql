-- R1–R6: the subsidies of $year per project, kind and institution, within the scope.
with scoped as (
    select i.*, r.label as reason_label
    from subsidy_items as i
    left join labels as r on r.code = i.reason
    where ($scope_inst is null or i.inst_id = $scope_inst)
      and ($scope_district is null or i.district_code = $scope_district)
),

grouped as (
    select
        project_id, policy_id, kind, year, inst_id, ent_id, district_code,
        count(*) as items,
        count(reason) as refused,
        sum(uncapped_fen) as uncapped_fen,
        sum(subsidy_fen) as subsidy_fen,
        string_agg(distinct reason, ';' order by reason) as reason,
        string_agg(distinct reason_label, '；' order by reason_label) as reason_text
    from scoped
    group by project_id, policy_id, kind, year, inst_id, ent_id, district_code
)

select
    g.project_id, g.policy_id, g.kind, k.label as kind_text, g.year,
    g.inst_id, g.ent_id, g.district_code, g.items, g.refused,
    cast(cast(g.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(g.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    g.subsidy_fen < g.uncapped_fen as capped,
    g.reason, g.reason_text
from grouped as g
left join labels as k on k.code = g.kind
order by g.project_id, g.kind, g.inst_id
