-- Rows per bank or leasing company and month of their business dates (loans by signing day,
-- applications by registration day): the size of each monthly report in the demo's history.
with dated as (
    select inst_id, substr(cast(signed_on as varchar), 1, 7) as period
    from loans
    union all
    select inst_id, substr(cast(registered_on as varchar), 1, 7) as period
    from applications
)

select d.inst_id, d.period, count(*) as rows_total
from dated as d
join institutions as i on i.inst_id = d.inst_id
where i.kind in ('bank', 'leasing')
group by d.inst_id, d.period
order by d.inst_id, d.period
