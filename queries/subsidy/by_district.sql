-- The subsidies of $year per unit where the item is placed (the project's district, else the
-- enterprise's), within the scope (scoped_subsidy_items): all 41 units, zero where nothing was
-- claimed, the largest first.
with grouped as (
    select
        district_code,
        count(distinct project_id) as projects,
        count(*) as items,
        count(reason) as refused,
        sum(subsidy_fen) as subsidy_fen
    from scoped_subsidy_items
    group by district_code
)

select
    d.district_code, d.name,
    coalesce(g.projects, 0) as projects,
    coalesce(g.items, 0) as items,
    coalesce(g.refused, 0) as refused,
    cast(cast(coalesce(g.subsidy_fen, 0) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy
from districts as d
left join grouped as g on g.district_code = d.district_code
order by coalesce(g.subsidy_fen, 0) desc, d.district_code
