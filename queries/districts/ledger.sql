-- 融资对接台账 (十九): a unit's key-project reserve pool, one row per pooled project, with
-- whether, when and by whom it was financed by a 技改专项贷 signed by $as_of.
-- Parameters: $as_of; $district (null = every unit). The scope reads through
-- scoped_projects and scoped_project_loans: a district official sees its unit's pool with
-- every contract on it; an institution only the projects it lends to, and only its own
-- contracts (a project it financed after $as_of shows as not yet financed then).
with pool as (
    select
        scoped_projects.project_id,
        scoped_projects.district_code,
        scoped_projects.ent_id,
        scoped_projects.filing_no,
        scoped_projects.filed_on,
        scoped_projects.pooled_on,
        scoped_projects.total_investment,
        scoped_projects.category
    from scoped_projects
    where scoped_projects.pooled_on <= $as_of
      and ($district is null or scoped_projects.district_code = $district)
),

financing as (
    select
        contracts.project_id,
        min(contracts.signed_on) as first_signed_on,
        count(*) as contracts,
        sum(contracts.amount) as signed_amount,
        string_agg(distinct institutions.name, '、' order by institutions.name) as financed_by
    from scoped_project_loans as contracts
    join pool on pool.project_id = contracts.project_id
    join institutions on institutions.inst_id = contracts.inst_id
    where contracts.signed_on <= $as_of
    group by contracts.project_id
)

select
    pool.district_code,
    districts.name as district_name,
    pool.project_id,
    pool.ent_id,
    enterprises.name as ent_name,
    pool.filing_no,
    pool.pooled_on,
    pool.total_investment,
    pool.category,
    financing.project_id is not null as financed,
    financing.first_signed_on,
    coalesce(financing.contracts, 0) as contracts,
    coalesce(financing.signed_amount, 0) as signed_amount,
    financing.financed_by
from pool
left join financing on financing.project_id = pool.project_id
left join enterprises on enterprises.ent_id = pool.ent_id
left join districts on districts.district_code = pool.district_code
order by pool.district_code, pool.pooled_on, pool.project_id
