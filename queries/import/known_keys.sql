-- The stored keys of every table a column refers to (contract refs: tests check this
-- list against them), for the reference check (reference_issues.sql).
create or replace temp table import_known as
select 'institutions' as tbl, inst_id as value from institutions
union all select 'districts', district_code from districts
union all select 'enterprises', ent_id from enterprises
union all select 'projects', project_id from projects
union all select 'applications', app_id from applications
union all select 'products', product_id from products
union all select 'loans', loan_id from loans
