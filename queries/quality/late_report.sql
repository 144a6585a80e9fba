-- Q5: a loan reported long after it was signed: its first import (row_arrivals, written by the
-- importer) came more than $late_days days after the signing day.
select
    l.inst_id, l.ent_district_code as district_code, 'loans' as table_name, l.loan_id as row_key,
    '签约日 ' || strftime(l.signed_on, '%Y-%m-%d') || '，首次报送 ' || strftime(r.first_seen, '%Y-%m-%d') || '，晚了 '
        || cast(cast((epoch(r.first_seen) - epoch(l.signed_on)) / 86400 as integer) as varchar) || ' 天' as detail
from scoped_loans as l
join row_arrivals as r on r.table_name = 'loans' and r.row_key = l.loan_id
where year(l.signed_on) = $year
  and (epoch(r.first_seen) - epoch(l.signed_on)) / 86400 > $late_days
