-- Q8: a sudden jump in volume in the last days of a period: at least $spike_share of an
-- institution's quarterly signed amount (and at least $spike_count loans) dated in the quarter's
-- last $spike_days calendar days — a sign of loans booked to meet a period target.
with signed as (
    select l.inst_id, l.amount, l.signed_on,
           year(l.signed_on) * 10 + (month(l.signed_on) + 2) // 3 as quarter,
           -- the quarter's last day: the first day of the next quarter minus one
           make_date(year(l.signed_on), ((month(l.signed_on) + 2) // 3) * 3, 1) + interval 1 month - interval 1 day
               as quarter_end
    from scoped_loans as l
    where year(l.signed_on) = $year
),

quarters as (
    select inst_id, quarter,
           sum(amount) as amount,
           sum(case when (epoch(quarter_end) - epoch(signed_on)) / 86400 < $spike_days then amount else 0 end) as last_amount,
           count(*) filter (where (epoch(quarter_end) - epoch(signed_on)) / 86400 < $spike_days) as last_count
    from signed
    group by inst_id, quarter
)

select
    inst_id, cast(null as varchar) as district_code, 'loans' as table_name,
    cast(quarter // 10 as varchar) || '-Q' || cast(quarter % 10 as varchar) as row_key,
    '季末最后 ' || cast($spike_days as varchar) || ' 天签约 ' || cast(last_count as varchar) || ' 笔，占该季度签约金额的 '
        || cast(round(100 * cast(last_amount as double) / nullif(cast(amount as double), 0), 1) as varchar) || '%' as detail
from quarters
where last_count >= $spike_count
  and cast(last_amount as double) >= $spike_share * cast(amount as double)
