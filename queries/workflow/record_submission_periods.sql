-- The periods an accepted submission covered: the month of each submitted row's business date, per
-- institution (interest payments and guarantees through their loan, written in the same transaction),
-- plus the periods the submitter declared (a nil report covers a month without rows).
-- `submitted_rows` (inst_id, loan_id, day) and `declared_periods` (inst_id, period) are registered frames.
insert into submission_periods (submission_id, inst_id, period, rows_total)
with dated as (
    select coalesce(r.inst_id, l.inst_id) as inst_id, substr(r.day, 1, 7) as period
    from submitted_rows as r
    left join loans as l on l.loan_id = r.loan_id
    where r.day is not null
),

counted as (
    select inst_id, period, count(*) as rows_total
    from dated
    where inst_id is not null
    group by inst_id, period
),

declared as (
    select d.inst_id, d.period, 0 as rows_total
    from declared_periods as d
    where not exists (select 1 from counted as c where c.inst_id = d.inst_id and c.period = d.period)
)

select $submission_id, inst_id, period, rows_total from counted
union all
select $submission_id, inst_id, period, rows_total from declared
