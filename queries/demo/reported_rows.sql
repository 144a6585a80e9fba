-- Rows already reported in each table the demo generator fills: it refuses a database that has any.
select 'institutions' as tbl, count(*) as n from institutions
union all
select 'enterprises' as tbl, count(*) as n from enterprises
union all
select 'projects' as tbl, count(*) as n from projects
union all
select 'products' as tbl, count(*) as n from products
union all
select 'applications' as tbl, count(*) as n from applications
union all
select 'loans' as tbl, count(*) as n from loans
union all
select 'interest_payments' as tbl, count(*) as n from interest_payments
union all
select 'guarantees' as tbl, count(*) as n from guarantees
union all
select 'insurance_policies' as tbl, count(*) as n from insurance_policies
union all
select 'cases' as tbl, count(*) as n from cases
union all
select 'cooperation' as tbl, count(*) as n from cooperation
union all
select 'flags' as tbl, count(*) as n from flags
