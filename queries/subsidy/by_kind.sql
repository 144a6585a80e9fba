-- R2–R6: the subsidies of $year per kind, within the scope (scoped_subsidy_items): the sums of
-- subsidy/by_project's rows per kind, each project counted once per kind. The pages order the
-- kinds as the policy lists them.
select
    i.kind,
    k.label as kind_text,
    count(distinct i.project_id) as projects,
    count(*) as items,
    count(i.reason) as refused,
    cast(cast(sum(i.uncapped_fen) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as uncapped,
    cast(cast(sum(i.subsidy_fen) as decimal(18, 0)) * 0.01 as decimal(18, 2)) as subsidy
from scoped_subsidy_items as i
left join labels as k on k.code = i.kind
group by i.kind, k.label
