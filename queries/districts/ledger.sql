-- 融资对接台账 (十九): a unit's key-project reserve pool, one row per pooled project, with
-- whether, when and by whom it was financed by a 技改专项贷 signed by $as_of.
-- Parameters: $as_of; $district (null = every unit); $scope_inst, $scope_district
-- (scoring.access.Scope: an institution sees only the projects it financed, and only its
-- own contracts).
with pool as (
    select
        projects.project_id,
        projects.district_code,
        projects.ent_id,
        projects.filing_no,
        projects.filed_on,
        projects.pooled_on,
        projects.total_investment,
        projects.category
    from projects
    where projects.pooled_on <= $as_of
      and ($district is null or projects.district_code = $district)
      and ($scope_district is null or projects.district_code = $scope_district)
),

financing as (
    select
        loans.project_id,
        min(loans.signed_on) as first_signed_on,
        count(*) as contracts,
        sum(loans.amount) as signed_amount,
        string_agg(distinct institutions.name, '、' order by institutions.name) as financed_by
    from loans
    join pool on pool.project_id = loans.project_id
    join institutions on institutions.inst_id = loans.inst_id
    where loans.signed_on <= $as_of
      and ($scope_inst is null or loans.inst_id = $scope_inst)
    group by loans.project_id
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
where $scope_inst is null or financing.project_id is not null
order by pool.district_code, pool.pooled_on, pool.project_id
