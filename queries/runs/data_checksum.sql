-- The fingerprint of the data an evaluation of $year reads (stored with every run, so a
-- result can be shown to come from exactly these rows): per table, the row count and the
-- sum of a hash of each row over all its columns. A sum needs no order (the rows may come
-- in any order, and nothing is sorted), and any changed, added or removed row changes it
-- (unless two different rows hash alike: 1 in 2^64 for DuckDB's 64-bit hash). Reference
-- tables count whole; dated tables only up to the end of the evaluation ($period_end), so
-- later reports do not change the fingerprint of an earlier year.
with institutions_rows as (
    select 'institutions' as table_name, hash(
        inst_id, name, kind, local_legal_person, paid_in_capital, tier
    ) as row_hash
    from institutions
),

districts_rows as (
    select 'districts' as table_name, hash(district_code, name, category) as row_hash
    from districts
),

enterprises_rows as (
    select 'enterprises' as table_name, hash(
        ent_id, name, district_code, size, ownership, manufacturing, agricultural, tags
    ) as row_hash
    from enterprises
),

projects_rows as (
    select 'projects' as table_name, hash(
        project_id, ent_id, district_code, filing_no, filed_on, pooled_on,
        total_investment, land_cost, green, equipment_only, category
    ) as row_hash
    from projects
),

products_rows as (
    select 'products' as table_name, hash(
        product_id, inst_id, name, category, launched_on, innovative
    ) as row_hash
    from products
),

applications_rows as (
    select 'applications' as table_name, hash(
        app_id, ent_id, project_id, inst_id, channel, registered_on, connected_on,
        decision, decided_on, disbursed_on, simplified_review
    ) as row_hash
    from applications
    where registered_on <= $period_end
),

loans_rows as (
    select 'loans' as table_name, hash(
        loan_id, inst_id, ent_id, project_id, app_id, product_id, kind, amount,
        land_amount, rate, lpr, signed_on, disbursed_on, maturity_on, relending,
        credit_line
    ) as row_hash
    from loans
    where signed_on <= $period_end
),

cases_rows as (
    select 'cases' as table_name, hash(case_id, inst_id, title, year, ent_id, summary) as row_hash
    from cases
    where year <= $year
),

holidays_rows as (
    select 'holidays' as table_name, hash(day, working, note) as row_hash
    from holidays
    where day between $calendar_start and $period_end
),

cooperation_rows as (
    select 'cooperation' as table_name, hash(year, inst_id, source) as row_hash
    from cooperation
    where year = $year
),

flags_rows as (
    select 'flags' as table_name, hash(flag_id, inst_id, year, kind, note) as row_hash
    from flags
    where year = $year
),

calendar_rows as (
    select 'calendar' as table_name, hash(day, working, provisional) as row_hash
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
)

select
    table_name,
    count(*) as row_count,
    cast(coalesce(sum(cast(row_hash as decimal(38, 0))), 0) as varchar) as checksum
from all_rows
group by table_name
order by table_name
