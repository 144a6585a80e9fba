-- The subsidies of $year per institution (lender, guarantor or insurer), within the scope
-- (scoped_subsidy_items).
with totals as (
    select
        inst_id,
        count(distinct project_id) as projects,
        count(*) as items,
        count(reason) as refused,
        sum(uncapped_fen) as uncapped_fen,
        sum(subsidy_fen) as subsidy_fen
    from scoped_subsidy_items
    group by inst_id
),

cooperating as (
    select inst_id from cooperation where year = $year
)

select
    t.inst_id, i.name as inst_name, i.kind as inst_kind,
    c.inst_id is not null as cooperating,
    t.projects, t.items, t.refused,
    cast(cast(t.uncapped_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(t.subsidy_fen as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy
from totals as t
left join institutions as i on i.inst_id = t.inst_id
left join cooperating as c on c.inst_id = t.inst_id
order by t.subsidy_fen desc, t.inst_id
