-- R1–R6: the subsidies of $year per project, kind and institution, within the scope
-- (scoped_subsidy_items).
-- The refusal reasons are listed once each: items are first summed per group and reason,
-- so a list joins a handful of distinct rows (string_agg(distinct …) over every item
-- would sort all of them).
with per_reason as (
    select
        project_id, policy_id, kind, year, inst_id, ent_id, district_code, reason,
        count(*) as items,
        count(reason) as refused,
        sum(uncapped_fen) as uncapped_fen,
        sum(subsidy_fen) as subsidy_fen
    from scoped_subsidy_items
    group by project_id, policy_id, kind, year, inst_id, ent_id, district_code, reason
),

rows_per_group as (
    select
        p.*,
        r.label as reason_label,
        count(*) over (partition by p.project_id, p.policy_id, p.kind, p.year, p.inst_id, p.ent_id, p.district_code)
            as group_rows
    from per_reason as p
    left join labels as r on r.code = p.reason
),

grouped as (
    -- a group with a single reason (or none) is one row already; only the others are
    -- folded, as an ordered list aggregate is far slower than a plain sum
    select
        project_id, policy_id, kind, year, inst_id, ent_id, district_code,
        items, refused, uncapped_fen, subsidy_fen, reason, reason_label as reason_text
    from rows_per_group
    where group_rows = 1

    union all

    select
        project_id, policy_id, kind, year, inst_id, ent_id, district_code,
        sum(items) as items,
        sum(refused) as refused,
        sum(uncapped_fen) as uncapped_fen,
        sum(subsidy_fen) as subsidy_fen,
        string_agg(reason, ';' order by reason) as reason,
        string_agg(reason_label, '；' order by reason_label) as reason_text
    from rows_per_group
    where group_rows > 1
    group by project_id, policy_id, kind, year, inst_id, ent_id, district_code
)

select
    g.project_id, g.policy_id, g.kind, k.label as kind_text, g.year,
    g.inst_id, g.ent_id, g.district_code,
    cast(g.items as bigint) as items,
    cast(g.refused as bigint) as refused,
    cast(cast(g.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(g.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy,
    g.subsidy_fen < g.uncapped_fen as capped,
    g.reason, g.reason_text
from grouped as g
left join labels as k on k.code = g.kind
-- policy_id last: a project can hold two policies of one kind from one insurer, and a tie would leave
-- their order to the engine (DuckDB and Spark differed at 10,000,000 loans)
order by g.project_id, g.kind, g.inst_id, g.policy_id nulls last
