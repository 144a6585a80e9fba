-- stored order: project_id, kind, inst_id, policy_id nulls last
-- R1–R6: the subsidies of $year per project, kind and institution, over all rows (subsidy_items);
-- readers filter them through scoped_project_subsidies. The scope's columns (inst_id, district_code)
-- are grouping columns, so filtering the groups is filtering the items. Where a table of the
-- database keeps them (scoring.subsidy), they are in the per-project table's order
-- (subsidy/by_project).
-- The refusal reasons are listed once each: items are first summed per group and reason,
-- so a list holds a handful of distinct rows (a distinct list over every item would sort
-- all of them).
with per_reason as (
    select
        project_id, policy_id, kind, year, inst_id, ent_id, district_code, reason,
        count(*) as items,
        count(reason) as refused,
        sum(uncapped_fen) as uncapped_fen,
        sum(subsidy_fen) as subsidy_fen
    from subsidy_items
    group by project_id, policy_id, kind, year, inst_id, ent_id, district_code, reason
),

grouped as (
    -- the reasons of a group are distinct (per_reason) and few: joined unordered with a separator that
    -- no code or label holds (chr(31), the unit separator: tests/test_subsidy.py), and sorted below
    -- only where there are several. A list sorted in every group took 0.2–0.3 s more at a million
    -- loans under the CLI's 256 MB (an ordered string_agg is slower still), and a window count that
    -- folded only the groups with several reasons could not stay within that limit at 3,000,000 loans
    select
        p.project_id, p.policy_id, p.kind, p.year, p.inst_id, p.ent_id, p.district_code,
        sum(p.items) as items,
        sum(p.refused) as refused,
        sum(p.uncapped_fen) as uncapped_fen,
        sum(p.subsidy_fen) as subsidy_fen,
        string_agg(p.reason, chr(31)) as reasons,
        string_agg(r.label, chr(31)) as labels
    from per_reason as p
    left join labels as r on r.code = p.reason
    group by p.project_id, p.policy_id, p.kind, p.year, p.inst_id, p.ent_id, p.district_code
)

select
    g.project_id, g.policy_id, g.kind, k.label as kind_text, g.year,
    g.inst_id, g.ent_id, g.district_code,
    cast(g.items as bigint) as items,
    cast(g.refused as bigint) as refused,
    cast(cast(g.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(g.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    g.subsidy_fen < g.uncapped_fen as capped,
    case when strpos(g.reasons, chr(31)) > 0
        then array_to_string(list_sort(string_split(g.reasons, chr(31))), ';') else g.reasons end as reason,
    case when strpos(g.labels, chr(31)) > 0
        then array_to_string(list_sort(string_split(g.labels, chr(31))), '；') else g.labels end as reason_text
from grouped as g
left join labels as k on k.code = g.kind
