-- The fingerprint of the data an evaluation of $year reads (stored with every run, so a
-- result can be shown to come from exactly these rows): per table, the row count and an
-- MD5 over the sorted MD5s of its rows, so row order does not matter. Reference tables
-- count whole; dated tables only up to the end of the evaluation ($period_end), so later
-- reports do not change the fingerprint of an earlier year. Empty cells read '~'.
with institutions_rows as (
    select 'institutions' as table_name, concat_ws('|',
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(name as varchar), '~'),
            coalesce(cast(kind as varchar), '~'),
            coalesce(cast(local_legal_person as varchar), '~'),
            coalesce(cast(paid_in_capital as varchar), '~'),
            coalesce(cast(tier as varchar), '~')) as row_text
    from institutions
),

districts_rows as (
    select 'districts' as table_name, concat_ws('|',
            coalesce(cast(district_code as varchar), '~'),
            coalesce(cast(name as varchar), '~'),
            coalesce(cast(category as varchar), '~')) as row_text
    from districts
),

enterprises_rows as (
    select 'enterprises' as table_name, concat_ws('|',
            coalesce(cast(ent_id as varchar), '~'),
            coalesce(cast(name as varchar), '~'),
            coalesce(cast(district_code as varchar), '~'),
            coalesce(cast(size as varchar), '~'),
            coalesce(cast(ownership as varchar), '~'),
            coalesce(cast(manufacturing as varchar), '~'),
            coalesce(cast(agricultural as varchar), '~'),
            coalesce(cast(tags as varchar), '~')) as row_text
    from enterprises
),

projects_rows as (
    select 'projects' as table_name, concat_ws('|',
            coalesce(cast(project_id as varchar), '~'),
            coalesce(cast(ent_id as varchar), '~'),
            coalesce(cast(district_code as varchar), '~'),
            coalesce(cast(filing_no as varchar), '~'),
            coalesce(cast(filed_on as varchar), '~'),
            coalesce(cast(pooled_on as varchar), '~'),
            coalesce(cast(total_investment as varchar), '~'),
            coalesce(cast(land_cost as varchar), '~'),
            coalesce(cast(green as varchar), '~'),
            coalesce(cast(equipment_only as varchar), '~'),
            coalesce(cast(category as varchar), '~')) as row_text
    from projects
),

products_rows as (
    select 'products' as table_name, concat_ws('|',
            coalesce(cast(product_id as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(name as varchar), '~'),
            coalesce(cast(category as varchar), '~'),
            coalesce(cast(launched_on as varchar), '~'),
            coalesce(cast(innovative as varchar), '~')) as row_text
    from products
),

applications_rows as (
    select 'applications' as table_name, concat_ws('|',
            coalesce(cast(app_id as varchar), '~'),
            coalesce(cast(ent_id as varchar), '~'),
            coalesce(cast(project_id as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(channel as varchar), '~'),
            coalesce(cast(registered_on as varchar), '~'),
            coalesce(cast(connected_on as varchar), '~'),
            coalesce(cast(decision as varchar), '~'),
            coalesce(cast(decided_on as varchar), '~'),
            coalesce(cast(disbursed_on as varchar), '~'),
            coalesce(cast(simplified_review as varchar), '~')) as row_text
    from applications
    where registered_on <= $period_end
),

loans_rows as (
    select 'loans' as table_name, concat_ws('|',
            coalesce(cast(loan_id as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(ent_id as varchar), '~'),
            coalesce(cast(project_id as varchar), '~'),
            coalesce(cast(app_id as varchar), '~'),
            coalesce(cast(product_id as varchar), '~'),
            coalesce(cast(kind as varchar), '~'),
            coalesce(cast(amount as varchar), '~'),
            coalesce(cast(land_amount as varchar), '~'),
            coalesce(cast(rate as varchar), '~'),
            coalesce(cast(lpr as varchar), '~'),
            coalesce(cast(signed_on as varchar), '~'),
            coalesce(cast(disbursed_on as varchar), '~'),
            coalesce(cast(maturity_on as varchar), '~'),
            coalesce(cast(relending as varchar), '~'),
            coalesce(cast(credit_line as varchar), '~')) as row_text
    from loans
    where signed_on <= $period_end
),

cases_rows as (
    select 'cases' as table_name, concat_ws('|',
            coalesce(cast(case_id as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(title as varchar), '~'),
            coalesce(cast(year as varchar), '~'),
            coalesce(cast(ent_id as varchar), '~'),
            coalesce(cast(summary as varchar), '~')) as row_text
    from cases
    where year <= $year
),

holidays_rows as (
    select 'holidays' as table_name, concat_ws('|',
            coalesce(cast(day as varchar), '~'),
            coalesce(cast(working as varchar), '~'),
            coalesce(cast(note as varchar), '~')) as row_text
    from holidays
    where day between $calendar_start and $period_end
),

cooperation_rows as (
    select 'cooperation' as table_name, concat_ws('|',
            coalesce(cast(year as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(source as varchar), '~')) as row_text
    from cooperation
    where year = $year
),

flags_rows as (
    select 'flags' as table_name, concat_ws('|',
            coalesce(cast(flag_id as varchar), '~'),
            coalesce(cast(inst_id as varchar), '~'),
            coalesce(cast(year as varchar), '~'),
            coalesce(cast(kind as varchar), '~'),
            coalesce(cast(note as varchar), '~')) as row_text
    from flags
    where year = $year
),

calendar_rows as (
    select 'calendar' as table_name, concat_ws('|',
            cast(day as varchar), cast(working as varchar), cast(provisional as varchar)) as row_text
    from calendar
    where day between $calendar_start and $period_end
),

all_rows as (
    select * from institutions_rows
    union all select * from districts_rows
    union all select * from enterprises_rows
    union all select * from projects_rows
    union all select * from products_rows
    union all select * from applications_rows
    union all select * from loans_rows
    union all select * from cases_rows
    union all select * from holidays_rows
    union all select * from cooperation_rows
    union all select * from flags_rows
    union all select * from calendar_rows
),

hashed as (
    select table_name, md5(row_text) as row_hash
    from all_rows
)

select
    table_name,
    count(*) as row_count,
    md5(string_agg(row_hash, '' order by row_hash)) as checksum
from hashed
group by table_name
order by table_name
