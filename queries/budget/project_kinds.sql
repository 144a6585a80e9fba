-- R1–R6 summed per project and subsidy kind for the budget simulator (scoring.budget): the
-- subsidy of $year over all rows (subsidy_items, under the policy the session built them with),
-- in fen, with the project's enterprise and district (one each per project) and its
-- institutions sorted and joined with ';' ('' when none). Institutions are made distinct
-- first, so the ordered list joins a handful of rows per group, not every payment.
with per_institution as (
    select
        project_id, kind, inst_id,
        min(ent_id) as ent_id,
        min(district_code) as district_code,
        sum(subsidy_fen) as fen
    from subsidy_items
    group by project_id, kind, inst_id
)

select
    project_id, kind,
    min(ent_id) as ent_id,
    min(district_code) as district_code,
    coalesce(string_agg(inst_id, ';' order by inst_id), '') as inst_ids,
    cast(sum(fen) as bigint) as fen
from per_institution
group by project_id, kind
