-- R5: at most 1,000,000 yuan per enterprise project over the project's life. A year is
-- granted what its rewards add to the running total, up to the cap: earlier years use
-- the cap first. The year's grant is shared among that year's guarantees; only the years
-- the cap cuts are claimed (every other fee keeps its uncapped reward: subsidy_items).
with yearly as (
    select project_id, year, sum(uncapped_fen) as uncapped
    from guarantee_uncapped
    where reason is null
    group by project_id, year
),

running as (
    select
        project_id, year, uncapped,
        sum(uncapped) over (
            partition by project_id order by year rows between unbounded preceding and current row
        ) as running_total
    from yearly
),

granted as (
    select
        project_id, year, uncapped,
        least(running_total, $guarantee_cap_fen) - least(running_total - uncapped, $guarantee_cap_fen) as target
    from running
)

select
    g.project_id as grp,
    g.guarantee_id as member,
    g.uncapped_fen as weight,
    t.target
from guarantee_uncapped as g
join granted as t on t.project_id = g.project_id and t.year = g.year
where g.reason is null and g.year = $year and t.target < t.uncapped
